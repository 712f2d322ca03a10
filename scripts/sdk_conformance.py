"""Drive the official Commet Python SDK (commet-sdk 9.7.0) against commet-fake.

A fake that the official client can drive through all six seat operations, parse every
answer of into its models, and retry through 503s against, speaks Commet's wire format.
Run through scripts/sdk-conformance, which prepares the virtualenv and builds the fake.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import typing
import urllib.request
from typing import Any, Callable

from commet import Commet, CommetAPIError, CommetValidationError
from commet.types import SeatBalance, SeatBalanceCollection, SeatEvent, SeatsSetAllResult

API_KEY = "ck_sdk_conformance"
API_VERSION = "2026-08-27"
SEED = {
    "customers": [
        {"id": "acme", "plan": {"editor": 3, "viewer": 10}, "subscribed": True},
        {"id": "lapsed", "plan": {"editor": 1}, "subscribed": False},
    ],
    "features": ["admin"],
}


class Checks:
    """Counts and prints check results; a failed check never stops the run."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []

    def expect(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed.append(name)
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), file=sys.stderr)
        return ok

    def equal(self, name: str, actual: Any, expected: Any) -> bool:
        return self.expect(name, actual == expected, f"got {actual!r}, expected {expected!r}")

    def call(self, name: str, operation: Callable[[], Any]) -> Any:
        """Runs one SDK call; an exception is a failed check, and `None` is returned."""
        try:
            result = operation()
        except Exception as error:  # any SDK failure is a conformance failure to report
            self.expect(name, False, f"{type(error).__name__}: {error}")
            return None
        self.passed += 1
        return result


class FakeServer:
    """A commet-fake process on an ephemeral port, stopped on exit whatever happens."""

    def __init__(self, binary: str, workdir: str, *extra: str) -> None:
        seed = os.path.join(workdir, "seed.json")
        key = os.path.join(workdir, "api-key")
        with open(seed, "w") as file:
            json.dump(SEED, file)
        with open(key, "w") as file:
            file.write(API_KEY + "\n")
        self.log_path = os.path.join(workdir, "fake.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--seed", seed, "--api-key-file", key, *extra],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.base_url = self._read_listening_line(deadline=time.monotonic() + 30)
        self.root = self.base_url.removesuffix("/api/v1")

    def _read_listening_line(self, deadline: float) -> str:
        prefix = "commet-fake listening on "
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if ready:
                line = self.process.stdout.readline()
                if line.startswith(prefix):
                    return line[len(prefix) :].strip()
                self.stop()
                raise RuntimeError(f"commet-fake printed {line!r}, not its listening line; log: {self._log_text()}")
            if self.process.poll() is not None:
                raise RuntimeError(f"commet-fake exited with {self.process.returncode}: {self._log_text()}")
        self.stop()
        raise RuntimeError("commet-fake did not print its listening line within 30 s")

    def _log_text(self) -> str:
        self.log.flush()
        with open(self.log_path) as file:
            return file.read().strip()

    def control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.root + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


def sdk_client(base_url: str, raw_bodies: list[Any]) -> Commet:
    """The SDK's own client, pointed at the fake, keeping every raw JSON body it receives."""
    client = Commet(API_KEY, retries=3)
    http = client._http._client
    http.base_url = base_url

    def keep_body(response: Any) -> None:
        response.read()
        try:
            raw_bodies.append(response.json())
        except ValueError:
            raw_bodies.append(None)

    http.event_hooks = {"request": [], "response": [keep_body]}
    return client


def unwrapped(body: Any) -> Any:
    """The payload of a body, enveloped or not, by the SDK's own rule."""
    if isinstance(body, dict) and isinstance(body.get("success"), bool) and "data" in body:
        return body["data"]
    return body


def check_model(checks: Checks, name: str, value: Any, cls: type, raw: Any) -> None:
    """Checks that `value` is a `cls` whose every required field came off the wire, well typed."""
    if not checks.expect(f"{name}: parsed as {cls.__name__}", isinstance(value, cls), f"got {type(value).__name__}"):
        return
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    for field in dataclasses.fields(cls):
        wire = field.metadata["wire_name"]
        if not field.metadata["required"]:
            continue
        if not checks.expect(f"{name}: {cls.__name__}.{wire} sent", isinstance(raw, dict) and wire in raw):
            continue
        check_value(checks, f"{name}: {cls.__name__}.{wire}", getattr(value, field.name), hints[field.name], raw[wire])


def check_value(checks: Checks, name: str, value: Any, hint: Any, raw: Any) -> None:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        hint = next(arg for arg in args if arg is not type(None))
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        checks.expect(name, value in args, f"got {value!r}, expected one of {args!r}")
    elif origin is list:
        if checks.expect(f"{name} is a list", isinstance(value, list), f"got {value!r}"):
            for index, (item, raw_item) in enumerate(zip(value, raw)):
                check_nested(checks, f"{name}[{index}]", item, args[0], raw_item)
    elif origin is dict:
        if checks.expect(f"{name} is an object", isinstance(value, dict), f"got {value!r}"):
            for key, item in value.items():
                check_nested(checks, f"{name}.{key}", item, args[1], raw.get(key))
    elif hint is int:
        checks.expect(f"{name} is an integer", isinstance(value, int) and not isinstance(value, bool), f"got {value!r}")
    elif hint is bool:
        checks.expect(f"{name} is a boolean", isinstance(value, bool), f"got {value!r}")
    elif hint is str:
        checks.expect(f"{name} is a non-empty string", isinstance(value, str) and value != "", f"got {value!r}")


def check_nested(checks: Checks, name: str, value: Any, hint: Any, raw: Any) -> None:
    if dataclasses.is_dataclass(hint):
        check_model(checks, name, value, hint, raw)
    else:
        check_value(checks, name, value, hint, raw)


def run_operations(checks: Checks, fake: FakeServer, mode: str) -> None:
    raw: list[Any] = []
    client = sdk_client(fake.base_url, raw)
    seats = client.seats

    def model(name: str, operation: Callable[[], Any], cls: type) -> Any:
        before = len(raw)
        value = checks.call(f"{mode} {name}", operation)
        if value is not None:
            check_model(checks, f"{mode} {name}", value, cls, unwrapped(raw[before]) if len(raw) > before else None)
        return value

    balance = model("get_balance", lambda: seats.get_balance(customer_id="acme", feature_code="editor"), SeatBalance)
    if balance is not None:
        checks.equal(f"{mode} get_balance current", balance.current, 3)

    collection = model("get_all_balances", lambda: seats.get_all_balances(customer_id="acme"), SeatBalanceCollection)
    if collection is not None:
        currents = {code: value.current for code, value in collection.balances.items()}
        checks.equal(f"{mode} get_all_balances currents", currents, {"editor": 3, "viewer": 10})

    event = model("add", lambda: seats.add(customer_id="acme", feature_code="editor", count=2), SeatEvent)
    if event is not None:
        checks.equal(f"{mode} add balances", (event.previous_balance, event.new_balance), (3, 5))

    event = model("remove", lambda: seats.remove(customer_id="acme", feature_code="editor", count=1), SeatEvent)
    if event is not None:
        checks.equal(f"{mode} remove balances", (event.previous_balance, event.new_balance), (5, 4))

    event = model("set", lambda: seats.set(customer_id="acme", feature_code="viewer", count=7), SeatEvent)
    if event is not None:
        checks.equal(f"{mode} set balances", (event.previous_balance, event.new_balance), (10, 7))

    result = model(
        "set_all", lambda: seats.set_all(customer_id="acme", seats={"editor": 1, "viewer": 2}), SeatsSetAllResult
    )
    if result is not None:
        moves = {item.feature_code: (item.previous_balance, item.new_balance) for item in result.data}
        checks.equal(f"{mode} set_all events", moves, {"editor": (4, 1), "viewer": (7, 2)})
    balances = fake.control("GET", "/_fake/balances?customerId=acme")
    checks.equal(f"{mode} balances after the writes", balances, {"editor": 1, "viewer": 2})

    check_errors(checks, client, mode)
    check_retried_set_all(checks, fake, client, raw, mode)
    check_headers(checks, fake, mode)
    client.close()


def check_errors(checks: Checks, client: Commet, mode: str) -> None:
    """Commet's error bodies must come out of the SDK as its typed errors, codes and request ids intact."""
    cases = [
        ("insufficient_seats", 409, lambda: client.seats.remove(customer_id="acme", feature_code="editor", count=50)),
        ("customer_not_found", 404, lambda: client.seats.get_all_balances(customer_id="initech")),
        ("no_active_subscription", 404, lambda: client.seats.get_all_balances(customer_id="lapsed")),
        ("feature_not_found", 404, lambda: client.seats.get_balance(customer_id="acme", feature_code="auditor")),
        ("feature_not_in_plan", 409, lambda: client.seats.set_all(customer_id="acme", seats={"admin": 1})),
    ]
    for code, status, operation in cases:
        try:
            operation()
            checks.expect(f"{mode} {code} raises", False, "the call returned")
        except CommetAPIError as error:
            checks.equal(f"{mode} {code} code", (error.code, error.status_code), (code, status))
            request_id = error.request_id or ""
            checks.expect(f"{mode} {code} request id", request_id.startswith("req_"), repr(error.request_id))
    try:
        client.seats.add(customer_id="acme", feature_code="editor", count=-1)
        checks.expect(f"{mode} validation_error raises", False, "the call returned")
    except CommetValidationError as error:
        checks.equal(f"{mode} validation_error fields", list(error.validation_errors), ["count"])
    except CommetAPIError as error:
        checks.expect(f"{mode} validation_error raises CommetValidationError", False, f"got {error.to_dict()}")


def check_retried_set_all(checks: Checks, fake: FakeServer, client: Commet, raw: list[Any], mode: str) -> None:
    """One set_all meets 503, 503, 200: the SDK retries with one key, and the write lands once."""
    fake.control("POST", "/_fake/reset-ledger")
    fake.control(
        "POST",
        "/_fake/faults",
        {"route": "setAll", "faults": [{"status": 503, "code": "internal_error"}] * 2},
    )
    result = checks.call(
        f"{mode} set_all through 503, 503", lambda: client.seats.set_all(customer_id="acme", seats={"editor": 6})
    )
    if result is not None:
        check_model(checks, f"{mode} retried set_all", result, SeatsSetAllResult, unwrapped(raw[-1]))
        moves = [(event.feature_code, event.new_balance) for event in result.data]
        checks.equal(f"{mode} retried set_all event", moves, [("editor", 6)])
    ledger = fake.control("GET", "/_fake/ledger")
    checks.equal(f"{mode} retried set_all statuses", [entry["status"] for entry in ledger], [503, 503, 200])
    keys = {entry["idempotencyKey"] for entry in ledger}
    checks.expect(f"{mode} one idempotency key across the retries", len(keys) == 1 and None not in keys, repr(keys))
    checks.equal(f"{mode} retried set_all applied once", [entry["applied"] for entry in ledger], [False, False, True])
    balances = fake.control("GET", "/_fake/balances?customerId=acme")
    checks.equal(f"{mode} balance after the retried set_all", balances.get("editor"), 6)


def check_headers(checks: Checks, fake: FakeServer, mode: str) -> None:
    """What the SDK sends on every request, as the fake's ledger saw it."""
    fake.control("POST", "/_fake/reset-ledger")
    raw: list[Any] = []
    client = sdk_client(fake.base_url, raw)
    client.seats.get_all_balances(customer_id="acme")
    client.seats.set(customer_id="acme", feature_code="editor", count=2)
    client.close()
    ledger = fake.control("GET", "/_fake/ledger")
    if not checks.equal(f"{mode} requests recorded", [entry["route"] for entry in ledger], ["balances", "set"]):
        return
    read, write = ledger
    for entry in (read, write):
        label = f"{mode} {entry['method']} {entry['path']}"
        checks.expect(f"{label} sends x-api-key", entry["apiKeyPresent"])
        checks.equal(f"{label} Commet-Version", entry["commetVersion"], API_VERSION)
        checks.expect(f"{label} User-Agent", bool(entry["userAgent"]), repr(entry["userAgent"]))
        checks.expect(f"{label} uses /api/v1", entry["path"].startswith("/api/v1/seats"), entry["path"])
    checks.equal(f"{mode} read has no idempotency key", read["idempotencyKey"], None)
    checks.expect(f"{mode} write has an idempotency key", bool(write["idempotencyKey"]), repr(write["idempotencyKey"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fake", required=True, help="path to the commet-fake executable")
    arguments = parser.parse_args()
    # Turns SIGTERM into an exit that runs the `finally` blocks, which stop the fakes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    checks = Checks()
    for mode, extra in (("enveloped", ()), ("bare", ("--bare",))):
        with tempfile.TemporaryDirectory(prefix="sdk-conformance-") as workdir:
            fake = FakeServer(arguments.fake, workdir, *extra)
            try:
                run_operations(checks, fake, mode)
            finally:
                status = fake.stop()
            checks.equal(f"{mode} fake exits 0 on SIGTERM", status, 0)

    print(f"sdk conformance: {checks.passed} passed, {len(checks.failed)} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
