"""A seeded, deterministic demo network: people, organisations, themes and roundtables.

``--demo``, the tests and the benchmarks all use :func:`generate_demo`. The same
seed and size always give the same content, whatever the machine: every random
choice comes from one ``random.Random(seed)`` in a fixed order, and dates are
relative to an anchor date (by default the fixed :data:`ANCHOR`, 2026-11-01),
never to the clock. Past roundtables fall in the three years before the
anchor; upcoming ones after it. ``--demo`` anchors on today.

Rows are written with Core bulk inserts and ids assigned here, in one
transaction, so a cancel (or an error) leaves the database exactly as before.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from roundtable_app.core.errors import ValidationError
from roundtable_app.core.progress import Progress
from roundtable_app.services.demo import words
from roundtable_app.services.demo.events import RoundtableMixin
from roundtable_app.services.demo.world import ANCHOR, MAX_HISTORY, table_of
from roundtable_app.storage.models import (
    Organisation,
    Person,
    Roundtable,
    Sector,
    Theme,
    person_theme,
)
from roundtable_app.storage.unit_of_work import Database

LONDON = ZoneInfo("Europe/London")
PEOPLE_CHUNK = 5000
ROUNDTABLE_CHUNK = 250
MAX_PEOPLE = 1_000_000
CENTRE_EVENTS = "events@evidence-centre.example"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many rows of each kind the generator wrote."""

    people: int
    organisations: int
    themes: int
    roundtables: int
    invitations: int
    tables: int


def generate_demo(
    db: Database,
    *,
    people: int = 300,
    seed: int = 1,
    progress: Progress | None = None,
    anchor: dt.datetime = ANCHOR,
    roundtables: int | None = None,
    invitees: int | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with a demo network of ``people`` people.

    ``anchor`` is "now" in the demo world: past roundtables come before it and
    upcoming ones after. The fixed default keeps tests and benchmarks
    repeatable; the app's ``--demo`` passes the real date so that "upcoming"
    means upcoming. ``roundtables`` sets how many past roundtables there are
    (default: a tenth of the people, 12 to 2,000) and ``invitees`` about how
    many people each invites (default: 8 to 40, about 20), to scale the history
    for benchmarks.

    Raises :class:`ValidationError` if the database already holds people or
    roundtables, and :class:`~roundtable_app.core.errors.Cancelled` (leaving the
    database unchanged) if ``progress`` is cancelled.
    """
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError(
            f"A demo needs between 1 and {MAX_PEOPLE:,} people, not {people}.", field="people"
        )
    if roundtables is not None and not 1 <= roundtables <= MAX_HISTORY:
        raise ValidationError(
            f"A demo has between 1 and {MAX_HISTORY:,} past roundtables, not {roundtables}.",
            field="roundtables",
        )
    if invitees is not None and not 2 <= invitees <= min(people, 500):
        raise ValidationError(
            f"A demo roundtable invites between 2 and {min(people, 500):,} people "
            f"(no more than the directory holds), not {invitees}.",
            field="invitees",
        )
    with db.transaction() as session:
        _check_empty(session)
        generator = _Generator(
            session,
            people,
            seed,
            progress or Progress(),
            anchor,
            roundtables=roundtables,
            invitees=invitees,
        )
        summary = generator.run()
        if db.dialect == "postgresql":
            _advance_sequences(session, generator.filled)
    return summary


def _check_empty(session: Session) -> None:
    people = session.scalar(select(func.count()).select_from(Person)) or 0
    roundtables = session.scalar(select(func.count()).select_from(Roundtable)) or 0
    if people or roundtables:
        raise ValidationError(
            f"The database already holds {people:,} people and {roundtables:,} roundtables; "
            "demo data only goes into an empty database. Choose a new database file."
        )


def _advance_sequences(session: Session, tables: Sequence[Table]) -> None:
    """PostgreSQL: move each serial sequence past the ids assigned here."""
    for table in tables:
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f'(SELECT max(id) FROM "{table.name}"))'
            ),
            {"t": table.name},
        )


#: Letters that Unicode does not decompose into a Latin letter and a mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ø": "o"})


def _slug(value: str, sep: str = "-") -> str:
    latin = words.LATIN_SPELLING.get(value, value).translate(_UNDECOMPOSED)
    ascii_ = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    parts = "".join(c if c.isalnum() else " " for c in ascii_.lower()).split()
    return sep.join(parts)


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class _Generator(RoundtableMixin):
    """One generation run: the random stream, id counters and rows still to write."""

    def run(self) -> DemoSummary:
        self.progress.update(0, self.total, "Preparing sectors and themes")
        self._sectors()
        self._themes()
        self._organisations()
        self._people()
        self._series()
        self._roundtables()
        self._summaries()
        self.progress.update(self.total, self.total, "Demo data ready")
        c = self.counts
        return DemoSummary(
            people=c.get("person", 0),
            organisations=c.get("organisation", 0),
            themes=len(self.theme_ids),
            roundtables=c.get("roundtable", 0),
            invitations=c.get("invitation", 0),
            tables=c.get("discussion_table", 0),
        )

    # -- directory --------------------------------------------------------------

    def _sectors(self) -> None:
        existing = {name: id_ for name, id_ in self.session.execute(select(Sector.name, Sector.id))}
        order = self.session.scalar(select(func.max(Sector.sort_order))) or 0
        rows = []
        for name, _share in words.SECTOR_SHARES:
            if name not in existing:
                order += 1
                existing[name] = self._new_id(table_of(Sector))
                rows.append({"id": existing[name], "name": name, "sort_order": order})
        self._write(table_of(Sector), rows)
        self.sector_names = [name for name, _ in words.SECTOR_SHARES]
        self.sector_ids = [existing[name] for name in self.sector_names]
        self.sector_cum = _cumulative([share for _, share in words.SECTOR_SHARES])
        self.sector_index = {name: i for i, name in enumerate(self.sector_names)}

    def _themes(self) -> None:
        existing = {
            name.lower(): id_ for name, id_ in self.session.execute(select(Theme.name, Theme.id))
        }
        rows = []
        self.theme_ids: list[int] = []
        for name in words.THEMES:
            id_ = existing.get(name.lower())
            if id_ is None:
                id_ = self._new_id(table_of(Theme))
                rows.append({"id": id_, "name": name})
            self.theme_ids.append(id_)
        self._write(table_of(Theme), rows)
        base = [1.0 / (rank + 1) for rank in range(len(words.THEMES))]  # Zipf, s = 1
        self.theme_cum = _cumulative(base)
        self.sector_theme_cum = []
        for name in self.sector_names:
            boosted = set(words.SECTOR_THEME_BOOST.get(name, ()))
            weights = [
                w * (3.0 if t in boosted else 1.0) for w, t in zip(base, words.THEMES, strict=True)
            ]
            self.sector_theme_cum.append(_cumulative(weights))
        self.theme_members: list[list[int]] = [[] for _ in words.THEMES]

    def _fill(self, template: str) -> str:
        """``template`` with each ``{slot}`` replaced by a random word of that slot."""
        slots = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        return template.format(**{name: self.rng.choice(words.SLOTS[name]) for name in slots})

    def _org_name(self, sector: str) -> str:
        return self._fill(self.rng.choice(words.ORGANISATIONS[sector]))

    def _unique_org_name(self, sector: str, used: set[str]) -> str:
        for _ in range(8):
            org = self._org_name(sector)
            if org not in used:
                break
        else:  # a big demo runs out of combinations: add a branch, then a number
            kind = "campus" if sector == "Academic research" else "office"
            org = f"{org} ({self.rng.choice(words.PLACES)} {kind})"
            base = org
            for n in itertools.count(2):
                if org not in used:
                    break
                org = f"{base} {n}"
        used.add(org)
        return org

    def _organisations(self) -> None:
        n_orgs = max(20, self.n_people // 6)
        shares = [share for _, share in words.SECTOR_SHARES]
        total = sum(shares)
        rows: list[dict[str, Any]] = []
        used: set[str] = set()
        tld = {"Academic research": "ac.example", "Government": "gov.example"}
        self.org_ids: list[list[int]] = []
        self.org_cum: list[list[float]] = []
        self.org_domain: dict[int, tuple[str, int]] = {}
        for s, name in enumerate(self.sector_names):
            ids: list[int] = []
            for _ in range(max(1, round(n_orgs * shares[s] / total))):
                org = self._unique_org_name(name, used)
                id_ = self._new_id(table_of(Organisation))
                rows.append({"id": id_, "name": org, "sector_id": self.sector_ids[s]})
                domain = f"{_slug(org.split(',')[0])[:40].strip('-')}.{tld.get(name, 'example')}"
                self.org_domain[id_] = (domain, self.rng.randrange(4))
                ids.append(id_)
            self.org_ids.append(ids)
            self.org_cum.append(_cumulative([1.0 / (i + 1) ** 0.7 for i in range(len(ids))]))
        self._write(table_of(Organisation), rows)

    def _email(self, first: str, last: str, org_id: int | None, used: dict[str, int]) -> str:
        f, la = _slug(first, ""), _slug(last, "")
        if org_id is None:
            domain, style = self.rng.choice(words.PERSONAL_DOMAINS), 0
        else:
            domain, style = self.org_domain[org_id]
        local = (f"{f}.{la}", f"{f[0]}.{la}", f"{f}{la[0]}", f"{f}_{la}")[style]
        key = f"{local}@{domain}"
        n = used.get(key, 0) + 1
        used[key] = n
        if n > 1:
            local = f"{local}{n}"
        if self.rng.random() < 0.1:  # as people type them: "Jane.Smith@..."
            local = local.title()
        return f"{local}@{domain}"

    def _name_from_elsewhere(self) -> tuple[str, str, str]:
        """A name of another origin, as written, with its given and family names.

        Drawn from a random stream of its own (``self.names``), so that everything
        else in the demo world stays as it was and a seed gives the same people.
        """
        n = self.names
        origin = words.NAMES_FROM_ELSEWHERE[
            bisect.bisect_right(self.origin_cum, n.random() * self.origin_cum[-1])
        ]
        if n.random() < 0.5:
            given, families = n.choice(origin.women), origin.family_women
        else:
            given, families = n.choice(origin.men), origin.family_men
        family = families[n.randrange(len(families))]
        parts = (family, given) if origin.family_first else (given, family)
        return origin.separator.join(parts), given, family

    def _people(self) -> None:
        r = self.rng
        lived_sector = self.sector_index["Lived experience"]
        civil, frontline = (
            self.sector_index["Civil society"],
            self.sector_index["Frontline practice"],
        )
        abroad = [zone for zone, _ in words.ABROAD_ZONES]
        abroad_cum = _cumulative([w for _, w in words.ABROAD_ZONES])
        interests_cum = _cumulative([20, 30, 25, 15, 10])
        used_emails: dict[str, int] = {}
        self.names = random.Random(f"names from elsewhere {self.seed}")
        self.origin_cum = _cumulative([o.weight for o in words.NAMES_FROM_ELSEWHERE])
        self.person_ids: list[int] = []
        self.person_sector = bytearray()
        self.person_lived = bytearray()
        self.person_contact = bytearray()
        span = 4 * 365 * 86400
        for start in range(0, self.n_people, PEOPLE_CHUNK):
            rows: list[dict[str, Any]] = []
            links: list[dict[str, int]] = []
            for _ in range(start, min(start + PEOPLE_CHUNK, self.n_people)):
                s = self._pick(self.sector_cum)
                sector = self.sector_names[s]
                lived = s == lived_sector or (
                    (s == civil and r.random() < 0.05) or (s == frontline and r.random() < 0.02)
                )
                if (s == lived_sector and r.random() < 0.5) or r.random() < 0.03:
                    org_id = None
                else:
                    org_id = self.org_ids[s][self._pick(self.org_cum[s])]
                first = r.choice(words.FIRST_NAMES)
                last = r.choice(words.LAST_NAMES)
                if r.random() < 0.05:
                    last = f"{last}-{r.choice(words.LAST_NAMES)}"
                full_name = f"{first} {last}"
                if self.names.random() < words.SHARE_FROM_ELSEWHERE:
                    full_name, first, last = self._name_from_elsewhere()
                email = self._email(first, last, org_id, used_emails)
                notes = ""
                if lived and r.random() < 0.4:
                    notes = r.choice(words.LIVED_NOTES)
                elif r.random() < 0.05:
                    notes = r.choice(words.NOTES)
                zone = "Europe/London"
                if r.random() < 0.07:
                    zone = abroad[self._pick(abroad_cum)]
                created = self.anchor - dt.timedelta(seconds=r.randrange(span))
                id_ = self._new_id(table_of(Person))
                contact = r.random() < 0.96
                role = r.choice(words.ROLES[sector])  # drawn in the order they always were
                named = r.random() < (0.25 if lived else 0.62)
                rows.append(
                    {
                        "id": id_,
                        "full_name": full_name,
                        "email": email,
                        "email_key": email.lower(),
                        "organisation_id": org_id,
                        "role": role,
                        "sector_id": self.sector_ids[s],
                        "lived_experience": lived,
                        "may_contact": contact,
                        "may_be_named": named,
                        # Consent as the centre's sign-up form records it, when they joined.
                        "contact_consent_how": "online_form",
                        "contact_consent_at": created,
                        "named_consent_how": "online_form" if named else "",
                        "named_consent_at": created if named else None,
                        "accessibility_needs": (
                            r.choice(words.ACCESSIBILITY_NEEDS)
                            if r.random() < (0.15 if lived else 0.06)
                            else ""
                        ),
                        "dietary_needs": r.choice(words.DIETARY_NEEDS) if r.random() < 0.2 else "",
                        "notes": notes,
                        "time_zone": zone,
                        "created_at": created,
                        "updated_at": created,
                        "version": 1,
                    }
                )
                k = bisect.bisect_right(interests_cum, r.random() * interests_cum[-1]) + 1
                chosen: list[int] = []
                while len(chosen) < k:
                    t = self._pick(self.sector_theme_cum[s])
                    if t not in chosen:
                        chosen.append(t)
                for t in sorted(chosen):
                    links.append({"person_id": id_, "theme_id": self.theme_ids[t]})
                    self.theme_members[t].append(id_)
                self.person_ids.append(id_)
                self.person_sector.append(s)
                self.person_lived.append(lived)
                self.person_contact.append(contact)
            self._write(table_of(Person), rows)
            self._write(person_theme, links)
            done = min(start + PEOPLE_CHUNK, self.n_people)
            self.progress.update(done, self.total, f"Generated {done:,} people")
        self.first_person = self.person_ids[0]

    # -- roundtables ------------------------------------------------------------
