"""The one place the benchmark imports the demo generator from (it is moving to `clientbook.demo`)."""

from clientbook.demo import fill_demo_book

__all__ = ["fill_demo_book"]
