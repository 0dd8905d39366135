"""What a worker's memory is made of: resident memory (VmRSS) of a fresh process after
each step of importing what a gunicorn worker of Self-Assess imports. Run in its own
process (`python -m bench.importmem`), prints JSON."""

import importlib
import json
import sys


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


STEPS = [
    ("Python + Django settings, django.setup()", None),
    ("numpy", "numpy"),
    ("matplotlib (reports.charts)", "selfassess.reports.charts"),
    ("WeasyPrint (reports.pdf)", "selfassess.reports.pdf"),
    ("python-docx (reports.docx)", "selfassess.reports.docx"),
    ("openpyxl (reports.xlsx)", "selfassess.reports.xlsx"),
    ("every URLconf and view (selfassess.urls)", "selfassess.urls"),
]


def main() -> None:
    from bench import djsetup

    out = [{"step": "Python interpreter", "rss_mib": rss_mib()}]
    djsetup.setup()
    for label, module in STEPS:
        if module:
            importlib.import_module(module)
        out.append({"step": label, "rss_mib": rss_mib()})
    for before, after in zip(out, out[1:], strict=False):
        after["added_mib"] = round(after["rss_mib"] - before["rss_mib"], 1)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
