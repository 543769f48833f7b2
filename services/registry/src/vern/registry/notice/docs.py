"""The rendered notices committed under docs/, one per reference profile, and their check."""

from __future__ import annotations

from pathlib import Path

from vern.kit.orgprofile import OrgProfile, load_profile
from vern.registry.config import RegistrySettings
from vern.registry.notice.service import build_notice, render_html, render_markdown

ROOT = Path(__file__).resolve().parents[6]
PROFILES = {"tryggere": "deploy/orgs/tryggere.yaml", "nokbergen": "deploy/orgs/nokbergen.yaml"}
# The documents link to the dev SPA, whatever the environment of the machine rendering them.
DOCS_APP_URL: str = RegistrySettings.model_fields["app_public_url"].default


def render(profile: OrgProfile, fmt: str, *, app_url: str = DOCS_APP_URL) -> str:
    """The notice of `profile` as html, md or json."""
    notice = build_notice(profile=profile, app_public_url=app_url)
    if fmt == "json":
        return notice.model_dump_json(indent=2) + "\n"
    return render_markdown(notice) if fmt == "md" else render_html(notice)


def documents() -> dict[Path, str]:
    """docs/personvernerklaering-<org>.html and .md, as the code renders them now."""
    out: dict[Path, str] = {}
    for org, path in PROFILES.items():
        profile = load_profile(ROOT / path)
        for fmt in ("html", "md"):
            out[ROOT / "docs" / f"personvernerklaering-{org}.{fmt}"] = render(profile, fmt)
    return out


def stale() -> list[Path]:
    """The documents under docs/ that differ from what the profiles render now."""
    return [
        path
        for path, text in documents().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
