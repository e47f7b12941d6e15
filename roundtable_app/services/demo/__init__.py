"""Demo data: a seeded, realistic network of people, organisations, themes and roundtables."""

from roundtable_app.services.demo.generator import ANCHOR, DemoSummary, generate_demo

__all__ = ["ANCHOR", "DemoSummary", "generate_demo"]
