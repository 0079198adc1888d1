"""Synthetic plan projects for the benchmarks: the example plans repeated under new ids."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_project(folder: Path, count: int) -> None:
    """*count* plans, copies of the examples in turn (Chinese and English; two of them drafts without
    period or figures, as the sample is), with the project's settings and mkdocs.yml."""
    examples = sorted((ROOT / "plans").rglob("*.yml"))
    (folder / "plans").mkdir(parents=True)
    for n in range(count):
        source = examples[n % len(examples)]
        text = source.read_text(encoding="utf-8").split("\n", 1)[1]  # drop the schema comment
        (folder / "plans" / f"{source.stem}-{n:04d}.yml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "plangen.yml", folder)
    shutil.copy(ROOT / "mkdocs.yml", folder)


def pathological(kind: str, scale: float = 1.0) -> dict[str, object]:
    """A valid plan that is extreme in one way: 5,000 key accounts, a 200-page free
    section, or 1,000 goals (times *scale*)."""
    plan: dict[str, object] = {"title": f"极端计划：{kind}", "period": 2027, "owner": {"name": "压力测试"}}
    if kind == "key-accounts":
        plan["clients"] = {
            "segments": [{"name": "重点客户", "count": int(5000 * scale)}],
            "key_accounts": [
                {"name": f"客户{n:05d}", "kind": "企业", "tier": "ABC"[n % 3], "service": "专人服务"}
                for n in range(int(5000 * scale))
            ],
        }
    elif kind == "long-section":
        paragraph = "客户经理要坚持持续性、长期性，对客户经理进行终身培训，以应对愈来愈激烈的市场竞争。" * 8
        plan["sections"] = [{"title": "长篇说明", "body": "\n\n".join([paragraph] * int(800 * scale))}]
    elif kind == "goals":
        plan["goals"] = [
            {"id": f"g{n:04d}", "title": f"目标{n}", "metric": f"指标{n}", "unit": "户", "baseline": n,
             "target": n + 100, "milestones": {"Q1": n + 25, "Q2": n + 50, "Q3": n + 75, "Q4": n + 100}}
            for n in range(int(1000 * scale))
        ]  # fmt: skip
    return plan
