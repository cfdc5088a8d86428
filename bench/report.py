"""Writes bench/RESULTS.md from hyperfine's JSON files (bench/work/results/*.json).

    python bench/report.py RESULTS_DIR WORK_DIR OUTPUT.md [SCENARIO ...]

Each scenario's table lists every command's median, mean ± σ and run count; the goal line gives
the ratio of medians psekit/peer (lower is better) and whether the goal is met. The hand-written
findings (profiles, changes and their gains) are taken from bench/findings.md beside this file.
"""

import datetime
import json
import os
import platform
import re
import subprocess
import sys


def shell(command):
    try:
        return subprocess.run(command, shell=True, check=True, capture_output=True, text=True).stdout.strip()
    except subprocess.CalledProcessError:
        return "unknown"


def run_date(results):
    """When the run ended: the newest of hyperfine's JSON files."""
    times = [os.path.getmtime(os.path.join(results, name)) for name in os.listdir(results) if name.endswith(".json")]
    moment = datetime.datetime.fromtimestamp(max(times), datetime.timezone.utc) if times else \
        datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def venv(code):
    try:
        return subprocess.run([".venv-interop/bin/python", "-c", code], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def load(results, name):
    path = os.path.join(results, f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return {entry["command"]: entry for entry in json.load(handle)["results"]}


def ms(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def load_note(results, name):
    """What else ran when the scenario started (bench/run's wait_for_quiet)."""
    path = os.path.join(results, f"{name}.load")
    if not os.path.exists(path):
        return []
    values, busy = {}, []
    with open(path) as handle:
        for line in handle:
            key, _, rest = line.strip().partition(" ")
            if key == "busy":
                busy.append(rest)
            else:
                values[key] = rest
    note = f"Machine when it started: load average {values.get('loadavg', '?')}; other processes used " \
           f"{values.get('others_cpu_percent', '?')}% of a core"
    if busy:
        note += " (" + "; ".join(f"{entry.split(' ', 1)[1]} {entry.split(' ', 1)[0]}%" for entry in busy) + ")"
    return [note + ".", ""]


def table(entries):
    lines = ["| command | median | mean ± σ | min … max | runs |", "|---|---:|---:|---:|---:|"]
    for command, entry in entries.items():
        lines.append(f"| {command} | {ms(entry['median'])} | {ms(entry['mean'])} ± {ms(entry['stddev'] or 0)} "
                     f"| {ms(entry['min'])} … {ms(entry['max'])} | {len(entry['times'])} |")
    return lines


def verdict(met):
    return "**met**" if met else "**not met**"


def goal_ratio(entries, numerator, denominator, limit, label):
    ratio = entries[numerator]["median"] / entries[denominator]["median"]
    return ratio, (f"- {label}: {numerator} / {denominator} = {ratio:.3f} "
                   f"(goal ≤ {limit}) — {verdict(ratio <= limit)}")


def count_certificates(path):
    try:
        with open(path, "rb") as handle:
            return handle.read().count(b"-----BEGIN CERTIFICATE-----")
    except OSError:
        return 0


def sizes(work):
    """bench/run's notes on the psekit measured: the archive's sizes, or a local build."""
    values = {}
    try:
        with open(os.path.join(work, "sizes")) as handle:
            for line in handle:
                key, _, rest = line.strip().partition(" ")
                values[key] = rest
    except OSError:
        pass
    return values


def mib(count):
    return f"{int(count) / 1048576:.1f} MiB"


def psekit_line(work):
    values = sizes(work)
    binary = values.get("psekit", os.path.join(work, "psekit"))
    version = shell(binary + " --version")
    if "archive" in values:
        name = values["archive"].split()[0]
        return (f"- psekit: `{version}`, as shipped: `bin/psekit` of `{name}` (the launcher, glibc "
                f"{values.get('glibc', '?')}'s loader and libraries from the archive, the binary with the "
                "Swift runtime linked statically and stripped)")
    return (f"- psekit: `{version}`, release build with the Swift runtime linked statically and stripped "
            "(`swift build -c release --static-swift-stdlib`, as `scripts/release` builds it)")


def size_lines(work):
    values = sizes(work)
    if "archive" not in values:
        return []
    name, archive = values["archive"].split()
    return ["## Sizes", "",
            "| what | bytes | |", "|---|---:|---:|",
            f"| archive `{name}` | {archive} | {mib(archive)} |",
            f"| binary `libexec/psekit` | {values['binary']} | {mib(values['binary'])} |",
            f"| C libraries `lib/psekit/` (glibc {values.get('glibc', '?')}, libstdc++, ...) | {values['libraries']} "
            f"| {mib(values['libraries'])} |",
            f"| launcher `bin/psekit` (static) | {values['launcher']} | {mib(values['launcher'])} |", ""]


def main():
    results, work, output = sys.argv[1], sys.argv[2], sys.argv[3]
    wanted = sys.argv[4:] or ["s1", "s2", "s3", "s4", "s5", "s6"]
    cpu = shell("lscpu | sed -n 's/^Model name: *//p' | head -1")
    memory = shell("free -g | awk '/Mem:/ {print $2}'")
    pysap_version = venv("import importlib.metadata as m; print(m.version('pysap'))")
    lines = [
        "# psekit benchmarks",
        "",
        "Written by `bench/run` (issue 8) from one run; every figure below comes from that run. Ratios are "
        "medians of psekit over its peer measured side by side (lower is better); absolute times on a "
        "shared machine drift, ratios much less.",
        "",
        "## Machine",
        "",
        f"- date: {run_date(results)}",
        f"- CPU: {cpu}, nproc {os.cpu_count()} ({shell('nproc')} available)",
        f"- memory: {memory} GiB; kernel {platform.release()}",
        f"- swift: {shell('swift --version 2>&1 | head -1')}",
        psekit_line(work),
        f"- peers: {shell('openssl version')}; pysap {pysap_version} "
        f"on Python {venv('import platform; print(platform.python_version())')}; {shell('hyperfine --version')}",
        "",
        "## Summary",
        "",
        "| scenario | measure | goal | result |",
        "|---|---|---|---|",
    ]
    summary_at = len(lines)
    summary = []
    body = []

    if "s1" in wanted and (s1 := load(results, "s1")):
        body += ["## 1. Open a PSE with PIN (10000 iterations) and list its certificates", "",
                 "The PSE (`s1.pse`, made by `psekit import_p12` from `s1.p12`) and the PKCS#12 file hold the same "
                 "RSA-2048 key and 3 certificates; the PKCS#12 file was written by `openssl pkcs12 -export -iter "
                 "10000 -maciter` (AES-256-CBC, PBKDF2 and MAC with 10000 iterations). pysap's peer "
                 "(`bench/pysap_list.py`) opens the PSE with `SAPPSEFile(data).get_certificates(pin)` and prints "
                 "each certificate's subject and issuer, as `maintain_pk -l` does; pysap 0.2.1 returns only the "
                 "objects of type `Cert` (the own certificate), so it parses one certificate where psekit lists "
                 "three.", ""]
        body += load_note(results, "s1") + table(s1) + [""]
        r1, line1 = goal_ratio(s1, "psekit maintain_pk -l", "pysap get_certificates", 0.1, "against pysap")
        r2, line2 = goal_ratio(s1, "psekit maintain_pk -l", "openssl pkcs12 -nokeys", 1.2, "against openssl")
        body += [line1, line2, ""]
        summary.append(f"| 1 | maintain_pk -l / pysap | ≤ 0.1 | {r1:.3f} {verdict(r1 <= 0.1)} |")
        summary.append(f"| 1 | maintain_pk -l / openssl pkcs12 -nokeys | ≤ 1.2 (issue 19) | {r2:.3f} {verdict(r2 <= 1.2)} |")

    if "s2" in wanted and (s2 := load(results, "s2")):
        body += ["## 2. import_p12 of an RSA-4096 key with a 3-certificate chain", "",
                 "`s2.p12` as `openssl pkcs12 -export` writes it by default (AES-256-CBC, PBKDF2, 2048 iterations). "
                 "openssl writes the key unencrypted (`-nodes`) and the certificates to PEM. The same work for "
                 "psekit is a PSE without PIN (the key unprotected, as the Cloud Connector and the RFC "
                 "WebSocket connections need it): that is the goal's comparison. With PIN 1234 psekit also "
                 "encrypts the PSE (10,000-round key derivation), work openssl's command leaves out; that row "
                 "is shown for what it costs.", ""]
        body += load_note(results, "s2") + table(s2) + [""]
        r_plain, line_plain = goal_ratio(s2, "psekit import_p12 (PSE without PIN)", "openssl pkcs12 -nodes", 1.5,
                                         "same work (PSE without PIN)")
        r, line = goal_ratio(s2, "psekit import_p12 (PSE with PIN)", "openssl pkcs12 -nodes", 1.5,
                             "with PIN (more work than the peer)")
        body += [line_plain, line, ""]
        summary.append(f"| 2 | import_p12 (PSE without PIN: same work) / openssl pkcs12 -nodes | ≤ 1.5 | {r_plain:.3f} "
                       f"{verdict(r_plain <= 1.5)} |")
        summary.append(f"| 2 | import_p12 (PSE with PIN: + PSE encryption) / openssl pkcs12 -nodes | ≤ 1.5 | {r:.3f} "
                       f"{verdict(r <= 1.5)} |")

    if "s3" in wanted and (s3 := load(results, "s3")):
        body += ["## 3. gen_pse RSA-2048 with a request", "",
                 "psekit writes a PSE without PIN (key, self-signed certificate, PKRoot, CertList) and a PKCS#10 "
                 "request (`-r`); openssl writes an unencrypted key and a self-signed certificate. Key generation "
                 "time is random (prime search), hence 60 runs each.", ""]
        body += load_note(results, "s3") + table(s3) + [""]
        r, line = goal_ratio(s3, "psekit gen_pse RSA-2048 -r", "openssl req -newkey rsa:2048 -x509 -nodes", 1.2,
                             "against openssl")
        body += [line, ""]
        summary.append(f"| 3 | gen_pse -r / openssl req -x509 | ≤ 1.2 | {r:.3f} {verdict(r <= 1.2)} |")

    if "s4" in wanted and (add := load(results, "s4-add")) and (listing := load(results, "s4-list")):
        bundle = count_certificates("/etc/ssl/certs/ca-certificates.crt")
        body += ["## 4. Trust list scaling", "",
                 f"`maintain_pk -a` of the system CA bundle ({bundle} certificates, one call) into a PSE without PIN "
                 f"that holds only its own certificate; then of 100 and of 1000 generated certificates into that "
                 f"PSE (bundle already trusted); then `maintain_pk -l` on the results.", ""]
        body += load_note(results, "s4-add") + table(add) + [""] + table(listing) + [""]
        ra, line_a = goal_ratio(add, "maintain_pk -a 1000", "maintain_pk -a 100", 12, "adding, linear")
        rl, line_l = goal_ratio(listing, "maintain_pk -l (bundle + 1000)", "maintain_pk -l (bundle + 100)", 12,
                                "listing, linear")
        base = listing["maintain_pk -l (bundle)"]["median"]
        per100 = (listing["maintain_pk -l (bundle + 100)"]["median"] - base) / 100
        per1000 = (listing["maintain_pk -l (bundle + 1000)"]["median"] - base) / 1000
        body += [line_a, line_l,
                 f"- listing, cost per added certificate: {per100 * 1e6:.0f} µs with 100, {per1000 * 1e6:.0f} µs "
                 f"with 1000 (constant when growth is linear)", ""]
        summary.append(f"| 4 | maintain_pk -a 1000 / -a 100 | ≤ 12 | {ra:.2f} {verdict(ra <= 12)} |")
        summary.append(f"| 4 | maintain_pk -l 1000 / -l 100 | ≤ 12 | {rl:.2f} {verdict(rl <= 12)} |")

    if "s5" in wanted and (s5 := load(results, "s5")):
        files = 0
        for _, _, names in os.walk(os.path.join(work, "s5-tree")):
            files += sum(1 for name in names if name.endswith(".pse"))
        both = s5["expiry, both cores"]["median"]
        one = s5["expiry, one core (taskset -c 0)"]["median"]
        speedup = one / both
        body += ["## 5. expiry over 10,000 PSEs", "",
                 f"{files} PSEs in 100 folders (copies of 200 made by `gen_pse`, every fifth with PIN 1234 given "
                 "with `--pin-env`, validity 1 to 400 days), `expiry --days 30`.", ""]
        body += load_note(results, "s5") + table(s5) + [""]
        body += [f"- both cores: {files / both:.0f} files/s; one core: {files / one:.0f} files/s; "
                 f"speed-up {speedup:.2f} (goal ≥ 1.8) — {verdict(speedup >= 1.8)}", ""]
        summary.append(f"| 5 | expiry files/s, both cores / one core | ≥ 1.8 | {speedup:.2f} {verdict(speedup >= 1.8)} |")

    if "s6" in wanted and (s6 := load(results, "s6")):
        body += ["## 6. Start-up", ""]
        body += load_note(results, "s6") + table(s6) + [""]
        median = s6["psekit --version"]["median"]
        body += [f"- `psekit --version` median {median * 1000:.1f} ms (goal ≤ 20 ms) — {verdict(median <= 0.020)}", ""]
        summary.append(f"| 6 | psekit --version median | ≤ 20 ms | {median * 1000:.1f} ms {verdict(median <= 0.020)} |")
        for command, entry in s6.items():
            if command != "psekit --version":
                summary.append(f"| 6 | {command} median | ≤ 20 ms | {entry['median'] * 1000:.1f} ms "
                               f"{verdict(entry['median'] <= 0.020)} |")

    lines[summary_at:summary_at] = summary
    lines += [""] + size_lines(work) + body
    findings = os.path.join(os.path.dirname(os.path.abspath(__file__)), "findings.md")
    if os.path.exists(findings):
        with open(findings) as handle:
            lines += [handle.read().rstrip()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
    with open(output, "w") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
