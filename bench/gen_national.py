#!/usr/bin/env python3
"""Generates national-scale kiosk-scores feeds for the benchmark: 34 provinces and 3,321
communes (spread over the provinces), 52 ISO weeks of 2025, deterministic figures.

  gen_national.py OUTDIR  writes OUTDIR/all-52.json (every week in one document, ~32 MB),
                          OUTDIR/weeks-01-51.json (the 51 earlier weeks) and
                          OUTDIR/week-52.json (the newest week alone)."""
import datetime
import json
import os
import random
import sys

GROUPS = [("CKMB", "Công khai, minh bạch", 18), ("TDGQ", "Tiến độ giải quyết", 20),
          ("CLGQ", "Dịch vụ công trực tuyến", 12), ("TTTT", "Thanh toán trực tuyến", 10),
          ("MDHL", "Mức độ hài lòng", 18), ("MDSH", "Số hóa hồ sơ", 22)]
PROVINCES, COMMUNES, WEEKS = 34, 3321, 52


def main(out):
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(766)
    units = [("H%02d" % p, "Tỉnh %d" % p, "province", None) for p in range(1, PROVINCES + 1)]
    for c in range(COMMUNES):
        p = c % PROVINCES + 1
        units.append(("H%02d-X%04d" % (p, c), "Xã số %d" % c, "commune", "H%02d" % p))
    level = {u[0]: [rnd.uniform(0.55, 0.95) for _ in GROUPS] for u in units}
    periods = []
    monday = datetime.date.fromisocalendar(2025, 1, 1)
    for w in range(1, WEEKS + 1):
        start = monday + datetime.timedelta(weeks=w - 1)
        rows = []
        for uid, name, kind, parent in units:
            lv = level[uid]
            for g in range(len(GROUPS)):
                lv[g] = min(1.0, max(0.2, lv[g] + rnd.uniform(-0.02, 0.025)))
            row = {"id": uid, "name": name, "kind": kind}
            if parent:
                row["parent"] = parent
            row["groups"] = {code: round(mx * lv[g], 2) for g, (code, _, mx) in enumerate(GROUPS)}
            rows.append(row)
        periods.append({"id": "2025-W%02d" % w, "label": "Tuần %d/2025" % w,
                        "start": start.isoformat(),
                        "end": (start + datetime.timedelta(days=6)).isoformat(), "units": rows})

    def write(name, ps):
        doc = {"format": "kiosk-scores", "version": 1,
               "generated_at": "2025-12-28T18:00:00+07:00", "source": "benchmark data",
               "framework": {"id": "vn-766", "title": "benchmark",
                             "groups": [{"code": c, "name": n, "max": m} for c, n, m in GROUPS]},
               "periods": ps}
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)

    write("all-52.json", periods)
    write("weeks-01-51.json", periods[:-1])
    write("week-52.json", periods[-1:])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out/bench")
