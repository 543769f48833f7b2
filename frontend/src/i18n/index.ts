// i18next setup: bokmål by default, English on request; <html lang> and <title> follow the language.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

import { en } from './en';
import { nb } from './nb';

export const languages = ['nb', 'en'] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = 'vern.language';

function storedLanguage(): Language {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return languages.find((l) => l === stored) ?? 'nb';
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  document.title = i18n.t('app.title');
  window.localStorage.setItem(STORAGE_KEY, lng);
});

void i18n.use(initReactI18next).init({
  resources: { nb: { translation: nb }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'nb',
  supportedLngs: languages,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

export default i18n;
