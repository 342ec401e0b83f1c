"""The generated history's calendar: days of the span, seasonal weights, epoch seconds."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from custseg.generator import vocab as V
from custseg.generator.draw import pick

DAY = 86400
EPOCH = date(1970, 1, 1)


class Calendar:
    """Days of the span, seasonal weights and conversions to epoch seconds."""

    def __init__(self, end_date: date, years: int) -> None:
        try:
            start = date(end_date.year - years, end_date.month, end_date.day)
        except ValueError:
            start = date(end_date.year - years, end_date.month, 28)
        self.start = start + timedelta(days=1)
        self.end = end_date
        self.days = (self.end - self.start).days + 1
        self.start_sec = (self.start - EPOCH).days * DAY
        self.end_sec = self.start_sec + self.days * DAY - 1
        dates = np.arange(
            np.datetime64(self.start.isoformat()), np.datetime64(self.end.isoformat()) + 1
        )
        day_num = (dates - np.datetime64("1970-01-01")).astype(np.int64)
        months = dates.astype("datetime64[M]").astype(int) % 12 + 1
        dom = (dates - dates.astype("datetime64[M]")).astype(int) + 1
        weekday = (day_num + 3) % 7  # Monday = 0
        t = np.arange(self.days) / self.days
        w = (1.0 + 0.5 * t) * np.where(weekday >= 5, 1.15, 1.0)
        w *= np.where(months == 12, 1.0 + 0.8 * np.clip(dom, 0, 24) / 24, 1.0)
        for m in (9, 10, 11, 12):  # 9.9, 10.10, 11.11, 12.12 marketplace sales
            boost = {9: 1.8, 10: 1.6, 11: 4.0, 12: 2.5}[m]
            w *= np.where((months == m) & (dom == m), boost, 1.0)
            w *= np.where((months == m) & (np.abs(dom - m) == 1), 1.3, 1.0)
        w *= np.where((months == 6) & (dom == 6), 1.5, 1.0)
        w *= np.where((months == 7) & (dom == 7), 1.5, 1.0)
        for year in range(self.start.year, self.end.year + 2):
            month, day = V.TET.get(year, (2, 5))
            tet = np.datetime64(date(year, month, day).isoformat())
            before = (tet - dates).astype(int)
            w *= np.where((before > 0) & (before <= 21), 1.6 + (21 - before) / 15, 1.0)
            w *= np.where((before <= 0) & (before > -5), 0.35, 1.0)
            nov1 = date(year, 11, 1)
            thursday = nov1 + timedelta(days=(3 - nov1.weekday()) % 7 + 21)
            black_friday = np.datetime64((thursday + timedelta(days=1)).isoformat())
            w *= np.where(dates == black_friday, 3.0, 1.0)
            w *= np.where(dates == black_friday + 3, 2.0, 1.0)
        self.weights = w
        self.deal_weights = w**1.7
        self.cum = np.concatenate([[0.0], np.cumsum(w)])
        self.deal_cum = np.concatenate([[0.0], np.cumsum(self.deal_weights)])
        self.day_num = day_num
        self.hour_w = np.array(
            [
                0.3,
                0.2,
                0.1,
                0.1,
                0.1,
                0.2,
                0.5,
                1,
                1.5,
                2,
                2.5,
                3,
                3,
                2.5,
                2,
                2,
                2.2,
                2.5,
                3,
                3.5,
                4,
                4,
                3,
                1.5,
            ]
        )

    def sample_days(
        self,
        rng: np.random.Generator,
        first: np.ndarray,
        last: np.ndarray,
        deal: np.ndarray | None = None,
    ) -> np.ndarray:
        """Seasonally weighted day in [first, last] (day offsets) for each row."""
        lo = self.cum[first]
        hi = self.cum[last + 1]
        days = np.searchsorted(self.cum, lo + rng.random(len(first)) * (hi - lo), "right") - 1
        if deal is not None and deal.any():
            idx = np.flatnonzero(deal)
            lo2 = self.deal_cum[first[idx]]
            hi2 = self.deal_cum[last[idx] + 1]
            u = lo2 + rng.random(len(idx)) * (hi2 - lo2)
            days[idx] = np.searchsorted(self.deal_cum, u, "right") - 1
        return np.clip(days, first, last)

    def seconds(self, rng: np.random.Generator, days: np.ndarray, tz: np.ndarray) -> np.ndarray:
        """Epoch seconds (UTC) of a local time of day drawn from a diurnal profile."""
        hours = pick(rng, len(days), self.hour_w)
        local = hours * 3600 + rng.integers(0, 3600, len(days))
        sec = self.start_sec + days.astype(np.int64) * DAY + local - tz.astype(np.int64) * 3600
        return np.clip(sec, self.start_sec, self.end_sec)
