"""What the bench scripts report about the machine they ran on, and how busy it was."""
from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

import spacy

import saidwhat
from saidwhat.extraction.pipeline import default_pipeline_name


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have been waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(**extra: Any) -> dict[str, Any]:
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    model = default_pipeline_name()
    return {"nproc": nproc, "cpu_count": os.cpu_count(), "cpu": cpu_model(),
            "platform": platform.platform(), "python": platform.python_version(),
            "spacy": spacy.__version__, "model": model,
            "model_version": spacy.util.get_package_version(model),
            "saidwhat": getattr(saidwhat, "__version__", "?"), **extra}
