// A Designsystemet link that moves within the SPA without reloading it.
import { Link } from '@digdir/designsystemet-react';
import type { MouseEvent, ReactNode } from 'react';

import { navigate } from './navigation';
import { pathOf, type Route } from './routes';

export function RouteLink({
  to,
  children,
  current,
}: {
  to: Route;
  children: ReactNode;
  current?: boolean;
}) {
  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  }
  return (
    <Link href={pathOf(to)} onClick={onClick} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
