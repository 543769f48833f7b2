"""Benchmark: data requests through dsar over HTTP, against the underlying service calls made
directly, in the same run. Registry, consent and dsar run as real uvicorn processes (SQLite);
a local token endpoint gives dsar its client-credentials tokens.

- access: one subject's access request (`POST /dsar/requests`, answered once registry and consent
  have exported), p50 and p99, against registry search + export + consent search + export;
- erasure: 1,000 subjects erased end to end through dsar (Nok. Bergen grants erasure at once:
  the registry and consent erase within the request), against the same searches and erases made
  directly for 1,000 other subjects. The outside systems' manual tasks are left to staff.

    make bench            # or: uv run python -m tests.bench.dsar_requests [--subjects 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session

from tests.bench.harness import ROOT, free_port, python, start
from vern.kit.app import make_vault
from vern.kit.auth import Principal
from vern.kit.db import make_engine
from vern.kit.orgprofile import load_profile
from vern.kit.settings import resolve_profile_path
from vern.kit.testing.tokens import TEST_ISSUER, TokenFactory
from vern.registry.config import RegistrySettings
from vern.registry.counsellors.models import Counsellor
from vern.registry.persons import service as person_service
from vern.registry.persons.schemas import PersonCreate

SERVICES = ("registry", "consent", "dsar")
COUNSELLOR = "bench-counsellor"


def serve_issuer(tokens: TokenFactory) -> str:
    """A local issuer: discovery, JWKS, and a client-credentials token endpoint."""
    base: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def _json(self, document: dict[str, Any]) -> None:
            body = json.dumps(document).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.endswith("/openid-configuration"):
                self._json(
                    {"token_endpoint": base["url"] + "/token", "jwks_uri": base["url"] + "/jwks"}
                )
            else:
                self._json(tokens.jwks())

        def do_POST(self) -> None:
            form = urllib.parse.parse_qs(
                self.rfile.read(int(self.headers["Content-Length"])).decode()
            )
            token = tokens.machine(form["resource"][0], form["scope"][0], client_id="vern-dsar")
            self._json({"access_token": token, "token_type": "Bearer", "expires_in": 3600})

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return base["url"]


def seed_registry(settings: RegistrySettings, emails: list[str]) -> list[str]:
    engine = make_engine(settings.database_url)
    vault = make_vault(settings, make_engine(settings.keystore_url))
    seeder = Principal(subject="bench", kind="machine", issuer="bench")
    profile = load_profile(resolve_profile_path(settings.org_profile))
    ids = []
    with Session(engine) as session:
        session.add(Counsellor(id=COUNSELLOR, display_name="Bench"))
        for n, email in enumerate(emails):
            data = PersonCreate(
                full_name=f"Bench Person {n}",
                email=email,
                phone="+4791234567",
                assigned_counsellor_id=COUNSELLOR,
            )
            person = person_service.create(
                session=session, vault=vault, principal=seeder, data=data, profile=profile
            )
            ids.append(str(person.id))
        session.commit()
    return ids


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def timed(call: Callable[[], None]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--access", type=int, default=200, help="access requests to time")
    parser.add_argument("--subjects", type=int, default=1000, help="subjects to erase")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="vern-bench-dsar-"))
    tokens = TokenFactory()
    issuer = serve_issuer(tokens)
    ports = {name: free_port() for name in SERVICES}
    env: dict[str, str] = {}
    for name in SERVICES:
        prefix = name.upper()
        env |= {
            f"{prefix}_DATABASE_URL": f"sqlite:///{tmp}/{name}.db",
            f"{prefix}_KEYSTORE_URL": f"sqlite:///{tmp}/{name}-keys.db",
            f"{prefix}_ISSUERS": json.dumps(
                [{"issuer": TEST_ISSUER, "jwks_uri": issuer + "/jwks"}]
            ),
            f"{prefix}_TOKEN_ISSUER": issuer,
            f"{prefix}_LOG_LEVEL": "WARNING",
        }
    env |= {
        "DSAR_REGISTRY_URL": f"http://127.0.0.1:{ports['registry']}",
        "DSAR_CONSENT_URL": f"http://127.0.0.1:{ports['consent']}",
        "REGISTRY_CONSENT_URL": f"http://127.0.0.1:{ports['consent']}",
        "REGISTRY_DELIVER_AFTER_COMMIT": "false",
    }
    for name in SERVICES:  # each in its own process: their models share one metadata
        subprocess.run([python(), "-m", f"vern.{name}", "migrate"], env={**os.environ, **env},
                       cwd=ROOT, check=True)  # fmt: skip
    total = 1 + 2 * args.subjects
    emails = [f"bench{n}@example.org" for n in range(total)]
    registry_settings = RegistrySettings(
        database_url=env["REGISTRY_DATABASE_URL"], keystore_url=env["REGISTRY_KEYSTORE_URL"]
    )
    print(f"seeding {total} clients in registry and consent ...", flush=True)
    person_ids = seed_registry(registry_settings, emails)

    processes = [
        start(
            [python(), "-m", f"vern.{name}", "serve", "--port", str(ports[name])],
            env,
            f"http://127.0.0.1:{ports[name]}/{name}/ready",
            timeout=120,  # three services starting at once on a busy machine
        )
        for name in SERVICES
    ]
    try:
        run(args, tokens, ports, emails, person_ids)
    finally:
        for process in processes:
            process.terminate()


def run(
    args: argparse.Namespace,
    tokens: TokenFactory,
    ports: dict[str, int],
    emails: list[str],
    person_ids: list[str],
) -> None:
    def url(name: str, path: str) -> str:
        return f"http://127.0.0.1:{ports[name]}/{name}{path}"

    machine = {
        name: {"Authorization": f"Bearer {tokens.machine(f'urn:vern:{name}', f'{name}:internal')}"}
        for name in ("registry", "consent")
    }
    manager = {"Authorization": f"Bearer {tokens.staff('urn:vern:dsar', 'manager')}"}
    http = httpx.Client(timeout=60)

    def post(name: str, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        response = http.post(url(name, path), json=body, headers=headers)
        response.raise_for_status()
        return response.json() if response.content else None

    for n, (email, person_id) in enumerate(zip(emails, person_ids, strict=True)):
        post(
            "consent",
            "/internal/consents",
            {"subject_ref": person_id, "purpose": "newsletter", "event": "given",
             "source": "staff", "actor": "bench", "email": email},
            {**machine["consent"], "Idempotency-Key": f"seed-{n}"},
        )  # fmt: skip

    def direct(email: str, operation: str, request_id: str) -> None:
        found = post("registry", "/internal/subjects/search",
                     {"identifiers": {"email": email}}, machine["registry"])  # fmt: skip
        registry_ids = [m["subject_id"] for m in found["subjects"]]
        if registry_ids:
            post("registry", f"/internal/subjects/{operation}",
                 {"request_id": request_id, "subject_ids": registry_ids}, machine["registry"])  # fmt: skip
        found = post("consent", "/internal/subjects/search",
                     {"identifiers": {"email": email, "subject_refs": registry_ids}},
                     machine["consent"])  # fmt: skip
        consent_ids = [m["subject_id"] for m in found["subjects"]]
        if consent_ids:
            post("consent", f"/internal/subjects/{operation}",
                 {"request_id": request_id, "subject_ids": consent_ids}, machine["consent"])  # fmt: skip

    def through_dsar(email: str, kind: str) -> None:
        body = {"type": kind, "email": email, "identity_check": "id_document"}
        read = post("dsar", "/requests", body, manager)
        services = {t["target"]: t["status"] for t in read["tasks"] if t["kind"] == "service"}
        if services != {"registry": "done", "consent": "done"}:
            raise RuntimeError(f"a {kind} request's service tasks are not done: {services}")

    access_email = emails[0]
    for warm in range(5):
        direct(access_email, "export", f"warm-{warm}")
        through_dsar(access_email, "access")
    base = [timed(lambda n=n: direct(access_email, "export", f"a-{n}")) for n in range(args.access)]
    real = [timed(lambda: through_dsar(access_email, "access")) for _ in range(args.access)]
    print(
        f"access request for one subject across registry and consent, {args.access} sequential "
        "requests, one uvicorn worker per service, SQLite"
    )
    print(f"  direct calls (search+export x2)   p50 {percentile(base, 50):7.2f} ms   "
          f"p99 {percentile(base, 99):7.2f} ms")  # fmt: skip
    print(f"  POST /dsar/requests (access)      p50 {percentile(real, 50):7.2f} ms   "
          f"p99 {percentile(real, 99):7.2f} ms   (target p50 < 150 ms)")  # fmt: skip
    print(f"  ratio p50 (dsar / direct): {percentile(real, 50) / percentile(base, 50):.2f}")

    subjects = args.subjects
    baseline_emails = emails[1 : 1 + subjects]
    dsar_emails = emails[1 + subjects :]
    started = time.perf_counter()
    for n, email in enumerate(baseline_emails):
        direct(email, "erase", f"bench-erase-{n}")
    base_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for email in dsar_emails:
        through_dsar(email, "erasure")
    real_seconds = time.perf_counter() - started
    print(f"erasure of {subjects} subjects end to end (registry and consent), sequential")
    print(f"  direct calls (search+erase x2)    {base_seconds:7.2f} s   "
          f"{base_seconds / subjects * 1000:7.2f} ms each")  # fmt: skip
    print(f"  through dsar (erasure requests)   {real_seconds:7.2f} s   "
          f"{real_seconds / subjects * 1000:7.2f} ms each")  # fmt: skip
    print(f"  ratio (dsar / direct): {real_seconds / base_seconds:.2f}")


if __name__ == "__main__":
    main()
