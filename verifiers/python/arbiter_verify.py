#!/usr/bin/env python3
"""A second, independent verifier of Arbiter's evidence, written from docs/certificate-format.md only.

It has its own RFC 8785 canonicaliser and uses pyca/cryptography's Ed25519 (Debian: python3-cryptography).

    arbiter_verify.py certificate FILE --pubkey KEY [--now ISO] [--allow-expired]
    arbiter_verify.py ledger FILE.jsonl --pubkey KEY [--checkpoint FILE]...
    arbiter_verify.py arena RUN_DIR --pubkey KEY
    arbiter_verify.py vectors DIR
    arbiter_verify.py canonical < FILE.json

FILE may be a bare certificate or a saved verdict (`arbiter vet` output). KEY is the issuer key as `arbiter pubkey`
prints it: the padded base64 of the raw 32-byte key, or a file holding that text or the whole `arbiter pubkey` JSON.
Prints one JSON object; exit 0 when everything verified, 1 when something did not, 2 on a usage error, 3 when the
cryptography module is missing.
"""

import argparse
import base64
import binascii
import hashlib
import json
import math
import os
import re
import sys
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Context, Decimal

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - reported, never silently skipped
    sys.stderr.write(
        "arbiter_verify: the Python 'cryptography' module is missing (Debian: apt-get install python3-cryptography)\n"
    )
    sys.exit(3)

GENESIS = "0" * 64
ISSUE_SKEW_MS = 60_000
MAX_TTL_S = 86_400
TTL_WITHOUT_MANDATE_S = 60
CHECKPOINT_PREFIX = "arbiter-ledger-checkpoint"


class Malformed(Exception):
    """Input with no canonical form, or not in the documented shape."""


# ---------------------------------------------------------------- JSON: parsing, canonical form, JS-style output


def _no_constants(name):
    raise Malformed(f"{name} is not JSON")


def parse_json(text):
    """Strict JSON (no NaN/Infinity literals), keeping object member order."""
    try:
        return json.loads(text, parse_constant=_no_constants)
    except ValueError as e:
        raise Malformed(f"not valid JSON ({e})") from e


def es_number(x):
    """A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 section 3.2.2.3)."""
    if isinstance(x, bool):
        raise Malformed("a boolean is not a number")
    if isinstance(x, int):
        try:
            x = float(x)  # JSON numbers are doubles: integers beyond 2^53 round to the nearest one
        except OverflowError as e:
            raise Malformed("number out of range") from e
    if math.isnan(x) or math.isinf(x):
        raise Malformed(f"{x} has no JSON form")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    r = repr(abs(x))  # shortest digits that round-trip
    mant, _, exp = r.partition("e")
    ip, _, fp = mant.partition(".")
    all_digits = (ip + fp).lstrip("0")
    digits = all_digits.rstrip("0")
    e10 = (int(exp) if exp else 0) - len(fp) + (len(all_digits) - len(digits))
    k = len(digits)
    n = e10 + k  # value = 0.d1d2...dk * 10^n
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        s = (digits if k == 1 else digits[0] + "." + digits[1:]) + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + s


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def es_string(s, canonical):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif c < 0x20:
            out.append("\\u%04x" % c)
        elif 0xD800 <= c <= 0xDFFF:  # a lone surrogate (a paired one is a single code point here)
            if canonical:
                raise Malformed("a string holds a lone surrogate")
            out.append("\\u%04x" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _utf16_key(k):
    try:
        return k.encode("utf-16-be")
    except UnicodeEncodeError as e:
        raise Malformed("a key holds a lone surrogate") from e


def canonical(v):
    """RFC 8785: keys sorted by UTF-16 code units, no whitespace, ECMAScript strings and numbers."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return es_number(v)
    if isinstance(v, str):
        return es_string(v, True)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v.keys(), key=_utf16_key)
        return "{" + ",".join(es_string(k, True) + ":" + canonical(v[k]) for k in keys) + "}"
    raise Malformed(f"{type(v).__name__} has no JSON form")


_INDEX = re.compile(r"^(0|[1-9][0-9]*)$")


def _js_key_order(keys):
    """Own-property order of an ECMAScript object: array-index keys ascending, then the rest in insertion order."""
    index = sorted((k for k in keys if _INDEX.match(k) and int(k) < 2**32 - 1), key=int)
    return index + [k for k in keys if k not in set(index)]


def js_pretty(v, indent=""):
    """ECMAScript's JSON.stringify(v, null, 2)."""
    if isinstance(v, dict):
        if not v:
            return "{}"
        inner = indent + "  "
        items = [inner + es_string(k, False) + ": " + js_pretty(v[k], inner) for k in _js_key_order(list(v.keys()))]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + js_pretty(x, inner) for x in v) + "\n" + indent + "]"
    if isinstance(v, str):
        return es_string(v, False)
    if v is None or isinstance(v, bool):
        return canonical(v)
    return es_number(v)


# ---------------------------------------------------------------- encodings, keys, times


_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def from_base64url(text):
    """Unpadded base64url, canonical spelling only."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise Malformed("signature is not unpadded base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).decode().rstrip("=") != text:
        raise Malformed("signature is not canonical base64url")
    return raw


def sha256_hex(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()


class PinnedKey:
    def __init__(self, raw):
        if len(raw) != 32:
            raise ValueError(f"an Ed25519 public key is 32 bytes, got {len(raw)}")
        self.raw = raw
        self.key_id = "ed25519:" + sha256_hex(raw)[:16]
        self.key = Ed25519PublicKey.from_public_bytes(raw)

    def verifies(self, signature, message):
        if len(signature) != 64:
            return False
        try:
            self.key.verify(signature, message)
            return True
        except InvalidSignature:
            return False


def load_key(option):
    text = option
    if os.path.isfile(option):
        with open(option, encoding="utf-8") as f:
            text = f.read()
    text = text.strip()
    if text.startswith("{"):
        text = json.loads(text)["public_key"]
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as e:
        raise ValueError("the pinned key must be the padded base64 of a raw 32-byte Ed25519 key") from e
    return PinnedKey(raw)


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$")


def iso_ms(text):
    m = _ISO.match(text) if isinstance(text, str) else None
    if not m:
        raise Malformed("issued_at and expires_at must be ISO 8601 UTC times")
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        t = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone.utc)
    except ValueError as e:
        raise Malformed(f"not a time: {text}") from e
    return int(t.timestamp()) * 1000 + (int((frac or "0").ljust(3, "0")) if frac else 0)


# ---------------------------------------------------------------- certificates


def _result(status, message, payload=None, **extra):
    out = {"ok": status == "valid", "status": status, "message": message}
    if isinstance(payload, dict):
        out["certificate_id"] = payload.get("id")
        out["decision"] = payload.get("decision")
    out.update(extra)
    return out


def _shape(c):
    if not isinstance(c, dict):
        return "certificate must be a JSON object"
    if c.get("alg") != "Ed25519":
        return "alg must be Ed25519"
    if not isinstance(c.get("signature"), str):
        return "signature must be a base64url string"
    p = c.get("payload")
    if not isinstance(p, dict):
        return "payload must be an object"
    if p.get("v") != 1 or isinstance(p.get("v"), bool):
        return "payload.v must be 1"
    if not isinstance(p.get("id"), str) or not isinstance(p.get("decision"), str):
        return "payload.id and payload.decision are required"
    if not isinstance(p.get("issuer"), dict) or not isinstance(p["issuer"].get("key_id"), str):
        return "payload.issuer.key_id is required"
    if not isinstance(p.get("issued_at"), str) or not isinstance(p.get("expires_at"), str):
        return "payload.issued_at and payload.expires_at are required"
    return None


def _allowed_ttl_s(p):
    m = p.get("mandate")
    if isinstance(m, dict) and "error" in m:
        return TTL_WITHOUT_MANDATE_S
    ttl = ((m or {}).get("arbiter") or {}).get("certificate_ttl_seconds") if isinstance(m, dict) else None
    if isinstance(ttl, (int, float)) and not isinstance(ttl, bool) and ttl > 0:
        return min(ttl, MAX_TTL_S)
    return MAX_TTL_S


def _hashes(p):
    """Recomputes intent_hash and mandate_hash (section 6)."""
    intent_ok = p.get("intent_hash") == "sha256:" + sha256_hex(canonical(p.get("intent")))
    m = p.get("mandate")
    if isinstance(m, dict) and "error" in m:
        mandate_ok = p.get("mandate_hash") is None
    else:
        mandate_ok = p.get("mandate_hash") == "sha256:" + sha256_hex(canonical(m))
    return {"intent_hash_ok": intent_ok, "mandate_hash_ok": mandate_ok}


def verify_certificate(c, key, now_ms, allow_expired=False):
    problem = _shape(c)
    if problem:
        return _result("malformed", f"MALFORMED: {problem}")
    p = c["payload"]
    if p["issuer"]["key_id"] != key.key_id:
        return _result("untrusted_issuer", f"UNTRUSTED_ISSUER: key_id={p['issuer']['key_id']} pinned={key.key_id}", p)
    try:
        signature = from_base64url(c["signature"])
        message = canonical(p).encode("utf-8")
    except Malformed as e:
        return _result("malformed", f"MALFORMED: {e}", p)
    if not key.verifies(signature, message):
        return _result("invalid_signature", "INVALID_SIGNATURE: the payload or signature was changed", p)
    try:
        issued, expires = iso_ms(p["issued_at"]), iso_ms(p["expires_at"])
    except Malformed as e:
        return _result("malformed", f"MALFORMED: {e}", p)
    if issued > now_ms + ISSUE_SKEW_MS:
        return _result("issued_in_future", f"ISSUED_IN_FUTURE: issued_at={p['issued_at']}", p)
    if issued > expires:
        return _result("issued_after_expiry", f"ISSUED_AFTER_EXPIRY: issued_at={p['issued_at']} expires_at={p['expires_at']}", p)
    allowed = _allowed_ttl_s(p)
    if (expires - issued) / 1000 > allowed:
        return _result("lifetime_too_long", f"LIFETIME_TOO_LONG: lifetime_s={(expires - issued) / 1000} max_s={allowed}", p)
    if not allow_expired and not expires > now_ms:
        return _result("expired", f"EXPIRED: expires_at={p['expires_at']}", p)
    return _result("valid", f"VALID: signature good, issuer {key.key_id}", p, **_hashes(p))


def _decimals_of(step):
    """Section 8: the fewest d <= 12 for which step * 10^d is a whole number (else 12)."""
    if not (step > 0) or not math.isfinite(step):
        return 0
    for d in range(12):
        scaled = step * float(10**d)
        whole = math.floor(scaled + 0.5)
        if whole >= 1 and abs(scaled - whole) <= whole * 1e-12:
            return d
    return 12


def _to_fixed(value, d):
    """ECMAScript Number.prototype.toFixed(d), read back as a number: the exact value rounded half away from zero."""
    if abs(value) >= 1e21:
        return value  # toFixed writes such a number as toString does: unchanged
    ctx = Context(prec=400, rounding=ROUND_HALF_UP)
    return float(Decimal(value).quantize(Decimal(1).scaleb(-d), context=ctx))


def _to_precision_12(value):
    """ECMAScript Number.prototype.toPrecision(12), read back as a number."""
    return float(Context(prec=12, rounding=ROUND_HALF_UP).create_decimal(Decimal(value)))


def tidy(value, step):
    """Section 8: a size on its grid when it is within 1e-9 (relative) of it, else to 12 significant digits."""
    if not math.isfinite(value):
        return value
    if step and step > 0 and math.isfinite(step):
        c = _to_fixed(value, _decimals_of(step))
        if abs(c - value) <= abs(value) * 1e-9:
            return c
    return _to_precision_12(value)


def _js_number(x):
    """A JSON number as ECMAScript holds it: integers stay exact, everything else is a double."""
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x


def verdict_envelope(c):
    """The saved-verdict text `arbiter vet` writes for certificate c (section 8)."""
    p = c["payload"]
    eff = p.get("effective")
    inst = (p.get("context") or {}).get("instrument") if isinstance(p.get("context"), dict) else None
    tick = _js_number(inst.get("tickSize")) if isinstance(inst, dict) else None
    step = _js_number(inst.get("stepSize")) if isinstance(inst, dict) else None
    notional = eff["notional"] if isinstance(eff, dict) and eff.get("notional") is not None else 0
    quantity = eff["quantity"] if isinstance(eff, dict) and eff.get("quantity") is not None else 0
    env = {
        "decision": p["decision"],
        "effective_notional": tidy(float(notional), tick * step if tick is not None and step is not None else None),
        "effective_quantity": tidy(float(quantity), step),
        "reasons": [r["code"] for r in p["reasons"]],
        "messages": [r["message"] for r in p["reasons"]],
        "gates": p["gates"],
    }
    if p.get("approval_id"):
        env["approval_id"] = p["approval_id"]
    if p.get("dry_run"):
        env["dry_run"] = True
    env["certificate"] = {"alg": c["alg"], "payload": p, "signature": c["signature"]}
    return js_pretty(env) + "\n"


def verify_verdict_text(text, key, now_ms, allow_expired=False):
    try:
        parsed = parse_json(text)
    except Malformed as e:
        return _result("malformed", f"MALFORMED: {e}")
    envelope = isinstance(parsed, dict) and "certificate" in parsed
    cert = parsed["certificate"] if envelope else parsed
    result = verify_certificate(cert, key, now_ms, allow_expired)
    if not result["ok"] or not envelope:
        return result
    try:
        rebuilt = verdict_envelope(cert)
    except (KeyError, TypeError, Malformed) as e:
        return _result("malformed", f"MALFORMED: cannot derive the summary ({e})", cert["payload"])
    if rebuilt != text:
        return _result(
            "envelope_altered",
            "ENVELOPE_ALTERED: the file is not byte-for-byte what vet derives from the signed certificate",
            cert["payload"],
        )
    return result


# ---------------------------------------------------------------- ledger and arena


def _int_text(v):
    if isinstance(v, bool):
        raise Malformed("a boolean is not an integer")
    if isinstance(v, str):
        return v
    return es_number(v)


def record_preimage(r):
    return "\n".join([r["prev_hash"], _int_text(r["seq"]), _int_text(r["ts"]), r["kind"], r["ref"], r["body"]])


def checkpoint_message(cp):
    return "\n".join([CHECKPOINT_PREFIX, _int_text(cp["count"]), cp["head_hash"], _int_text(cp["ts"])])


def verify_ledger(records, checkpoints, key):
    problems = []
    expected, prev, count = 1, GENESIS, 0
    hash_at = {}
    for r in records:
        seq = r.get("seq")
        if seq != expected:
            problems.append({"seq": seq, "code": "sequence_gap"})
        if r.get("prev_hash") != prev:
            problems.append({"seq": seq, "code": "prev_hash_mismatch"})
        if r.get("redacted") is True:
            problems.append({"seq": seq, "code": "redacted_record"})
        elif sha256_hex(record_preimage(r)) != r.get("hash"):
            problems.append({"seq": seq, "code": "record_hash_mismatch"})
        prev = r.get("hash")
        expected = seq + 1 if isinstance(seq, int) else expected + 1
        count += 1
        hash_at[count] = prev
    for cp in checkpoints:
        good = False
        if cp.get("key_id") == key.key_id:
            try:
                good = key.verifies(from_base64url(cp.get("signature")), checkpoint_message(cp).encode("utf-8"))
            except (Malformed, KeyError, TypeError):
                good = False
        if not good:
            problems.append({"seq": None, "code": "checkpoint_bad_signature"})
            continue
        if cp["count"] > count:
            problems.append({"seq": None, "code": "checkpoint_truncated"})
            continue
        head = GENESIS if cp["count"] == 0 else hash_at.get(cp["count"])
        if head != cp["head_hash"]:
            problems.append({"seq": None, "code": "checkpoint_mismatch"})
    return {"ok": not problems, "count": count, "head": prev, "problems": problems}


def verify_arena(records, checkpoints, key):
    report = verify_ledger(records, checkpoints, key)
    problems = list(report["problems"])
    for r in records:
        if r.get("kind") != "verdict":
            continue
        try:
            cert = parse_json(r["body"])
        except Malformed:
            problems.append({"seq": r.get("seq"), "code": "verdict_body_not_json"})
            continue
        if isinstance(cert, dict) and cert.get("signature") == "":
            continue  # covered by the checkpoints instead
        p = cert.get("payload") if isinstance(cert, dict) else None
        try:
            now = iso_ms(p.get("issued_at")) if isinstance(p, dict) else 0
        except Malformed:
            now = 0
        res = verify_certificate(cert, key, now, allow_expired=True)
        if not res["ok"]:
            problems.append({"seq": r.get("seq"), "code": "certificate_" + res["status"]})
    covered = max([0] + [cp.get("count", 0) for cp in checkpoints])
    if covered < report["count"]:
        problems.append({"seq": covered + 1, "code": "uncovered_records"})
    return {"ok": not problems, "count": report["count"], "head": report["head"], "problems": problems}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [parse_json(line) for line in f if line.strip()]


def read_checkpoints(path):
    with open(path, encoding="utf-8") as f:
        v = parse_json(f.read())
    return v if isinstance(v, list) else [v]


# ---------------------------------------------------------------- the vectors


def check_vectors(d):
    def load(name):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            return parse_json(f.read())

    k = load("key.json")
    key = load_key(k["public_key"])
    results = [
        {
            "file": "key.json",
            "name": "key_id",
            "expected": k["key_id"],
            "got": key.key_id,
        }
    ]
    for case in load("canonicalisation.json")["cases"]:
        try:
            got = canonical(parse_json(case["input"]))
        except Malformed as e:
            got = f"malformed: {e}"
        results.append({"file": "canonicalisation.json", "name": case["input"], "expected": case["canonical"], "got": got})
    certs = load("certificates.json")
    for v in certs["valid"] + certs["tampered"]:
        r = verify_certificate(v["certificate"], key, iso_ms(v["verify_at"]))
        row = {"file": "certificates.json", "name": v["name"], "expected": v["expect"], "got": {"status": r["status"]}}
        if r["ok"]:
            row["hashes"] = {"intent_hash_ok": r["intent_hash_ok"], "mandate_hash_ok": r["mandate_hash_ok"]}
            row["signed_text_same"] = canonical(v["certificate"]["payload"]) == v.get("signed_text")
        results.append(row)
    verdicts = load("verdicts.json")
    for v in verdicts["valid"] + verdicts["tampered"]:
        r = verify_verdict_text(v["text"], key, iso_ms(v["verify_at"]))
        results.append({"file": "verdicts.json", "name": v["name"], "expected": v["expect"], "got": {"status": r["status"]}})
    ledger = load("ledger.json")
    for v in ledger["vectors"]:
        got = verify_ledger(v["records"], v["checkpoints"], key)
        results.append({"file": "ledger.json", "name": v["name"], "expected": v["expect"], "got": got})
    results.append(
        {
            "file": "ledger.json",
            "name": "preimage_of_record_1",
            "expected": ledger["preimage_of_record_1"],
            "got": record_preimage(ledger["vectors"][0]["records"][0]),
        }
    )
    cp6 = ledger["vectors"][0]["checkpoints"][1]
    results.append(
        {
            "file": "ledger.json",
            "name": "checkpoint_message_of_count_6",
            "expected": ledger["checkpoint_message_of_count_6"],
            "got": checkpoint_message(cp6),
        }
    )
    for v in load("arena.json")["vectors"]:
        got = verify_arena(v["records"], v["checkpoints"], key)
        results.append({"file": "arena.json", "name": v["name"], "expected": v["expect"], "got": got})
    for row in results:
        row["agree"] = row["expected"] == row["got"]
    return {"ok": all(r["agree"] for r in results), "vectors": len(results), "results": results}


# ---------------------------------------------------------------- command line


def main(argv):
    ap = argparse.ArgumentParser(prog="arbiter_verify.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("certificate", help="a bare certificate or a saved verdict (arbiter vet output)")
    c.add_argument("file")
    c.add_argument("--pubkey", required=True)
    c.add_argument("--now", help="the verifier clock, ISO 8601 UTC (default: now)")
    c.add_argument("--allow-expired", action="store_true")
    led = sub.add_parser("ledger", help="a ledger export (JSONL) and its checkpoints")
    led.add_argument("file")
    led.add_argument("--pubkey", required=True)
    led.add_argument("--checkpoint", action="append", default=[], help="a checkpoint file (object or array)")
    ar = sub.add_parser("arena", help="an arena run directory (ledger.jsonl + checkpoints.json)")
    ar.add_argument("dir")
    ar.add_argument("--pubkey", required=True)
    ve = sub.add_parser("vectors", help="check every vector in docs/vectors")
    ve.add_argument("dir")
    sub.add_parser("canonical", help="print the RFC 8785 canonical form of the JSON on stdin")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "canonical":
            sys.stdout.buffer.write(canonical(parse_json(sys.stdin.buffer.read().decode("utf-8"))).encode("utf-8"))
            return 0
        if a.cmd == "vectors":
            out = check_vectors(a.dir)
        else:
            key = load_key(a.pubkey)
            if a.cmd == "certificate":
                now = iso_ms(a.now) if a.now else int(datetime.now(timezone.utc).timestamp() * 1000)
                with open(a.file, encoding="utf-8") as f:
                    out = verify_verdict_text(f.read(), key, now, a.allow_expired)
            elif a.cmd == "ledger":
                cps = [cp for path in a.checkpoint for cp in read_checkpoints(path)]
                out = verify_ledger(read_jsonl(a.file), cps, key)
            else:
                out = verify_arena(
                    read_jsonl(os.path.join(a.dir, "ledger.jsonl")),
                    read_checkpoints(os.path.join(a.dir, "checkpoints.json")),
                    key,
                )
    except (OSError, ValueError, KeyError, Malformed) as e:
        sys.stderr.write(f"arbiter_verify: {e}\n")
        return 2
    sys.stdout.buffer.write((json.dumps(out, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
