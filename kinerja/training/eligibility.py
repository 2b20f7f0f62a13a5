"""Who may attend an event: pure functions over facts gathered by
`selectors_nominations.eligibility_facts` (no database here), and the nomination policy read
from ``data/nominations.json``.

The rule (issue 9, item 3): the employee must be active and of the event's instansi; the
event's audience (kinds of post and eselons, each empty meaning any) is read against the post
the employee holds on the event's first day. An acting head (Plt or Plh) on that day of a post
of the audience is eligible through that post, and the enrolment records it as acting. Each
refusal is one clear sentence.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATA = Path(__file__).resolve().parent / "data"

# How a kind of post reads in a sentence about the audience ("pejabat pimpinan tinggi
# pratama") and beside a post's title ("Analis SMA (fungsional)").
KIND_AUDIENCE = {
    "jpt_utama": gettext_lazy("senior executives (utama)"),
    "jpt_madya": gettext_lazy("senior executives (madya)"),
    "jpt_pratama": gettext_lazy("senior executives (pratama)"),
    "administrator": gettext_lazy("administrators"),
    "pengawas": gettext_lazy("supervisors"),
    "fungsional": gettext_lazy("functional officials"),
    "pelaksana": gettext_lazy("implementing staff"),
}
KIND_SHORT = {
    "jpt_utama": gettext_lazy("senior executive, utama"),
    "jpt_madya": gettext_lazy("senior executive, madya"),
    "jpt_pratama": gettext_lazy("senior executive, pratama"),
    "administrator": gettext_lazy("administrator"),
    "pengawas": gettext_lazy("supervisor"),
    "fungsional": gettext_lazy("functional"),
    "pelaksana": gettext_lazy("implementing"),
}


# Policy ------------------------------------------------------------------------------------


@functools.cache
def _versions() -> tuple[tuple[dt.date, dict[str, Any]], ...]:
    raw = json.loads((DATA / "nominations.json").read_text(encoding="utf-8"))
    versions = [(dt.date.fromisoformat(v["valid_from"]), v) for v in raw["versions"]]
    return tuple(sorted(versions, key=lambda item: item[0]))


def nomination_policy(on: dt.date) -> dict[str, Any]:
    """The nomination policy in force on ``on`` (the first version for an earlier day)."""
    versions = _versions()
    chosen = versions[0][1]
    for valid_from, version in versions:
        if valid_from <= on:
            chosen = version
    return chosen


# Facts and verdict -------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A post as the rule reads it, and what an enrolment copies of it."""

    position_id: int | None
    title: str
    kind: str
    eselon: str
    unit_id: int
    unit_name: str
    unit_path: str
    agency_id: int
    agency_name: str
    acting: str = ""  # "plt" or "plh" for an acting post


@dataclass(frozen=True)
class Facts:
    """What the rule needs to know about one employee on the event's first day."""

    employee_id: int
    name: str
    instansi_id: int
    is_active: bool
    post: Post | None  # the post held that day (else the current one); no title: only a unit
    acting: tuple[Post, ...] = ()  # posts acted in (Plt/Plh) that day


@dataclass(frozen=True)
class Audience:
    kinds: tuple[str, ...] = ()
    eselons: tuple[str, ...] = ()

    @classmethod
    def of(cls, event) -> Audience:
        return cls(tuple(event.audience_kinds or ()), tuple(event.audience_eselons or ()))

    @property
    def anyone(self) -> bool:
        return not self.kinds and not self.eselons

    def admits(self, post: Post | None) -> bool:
        if self.anyone:
            return True
        if post is None or (post.position_id is None and not post.title):
            return False
        if self.kinds and post.kind not in self.kinds:
            return False
        return not (self.eselons and post.eselon not in self.eselons)

    def describe(self) -> str:
        """ "pejabat pimpinan tinggi pratama (II.a/II.b)"."""
        kinds = ", ".join(str(KIND_AUDIENCE.get(k, k)) for k in self.kinds) or _("any post")
        if self.eselons:
            return f"{kinds} ({'/'.join(self.eselons)})"
        return kinds


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[str, ...] = ()
    post: Post | None = None  # the post the enrolment records (acting or own)

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def post_label(post: Post) -> str:
    """ "Analis SMA (fungsional)"; an eselon is added when there is one."""
    kind = str(KIND_SHORT.get(post.kind, post.kind or _("no kind")))
    if post.eselon:
        kind = f"{kind} {post.eselon}"
    return f"{post.title} ({kind})"


def judge(facts: Facts, audience: Audience, *, instansi_id: int, day: dt.date) -> Verdict:
    """Whether the employee may attend an event of ``instansi_id`` for ``audience`` whose first
    day is ``day``, and through which post."""
    if facts.instansi_id != instansi_id:
        return Verdict(
            False, (_("%(name)s is not an employee of this instansi.") % {"name": facts.name},)
        )
    if not facts.is_active:
        return Verdict(
            False,
            (_("%(name)s is no longer in service (inactive or retired).") % {"name": facts.name},),
        )
    if audience.admits(facts.post) and facts.post is not None:
        return Verdict(True, post=facts.post)
    for acting in facts.acting:
        if audience.admits(acting):
            return Verdict(True, post=acting)
    if facts.post is None or (facts.post.position_id is None and not facts.post.title):
        return Verdict(
            False,
            (
                _("%(name)s holds no post on %(day)s, so is not in the audience: %(audience)s.")
                % {"name": facts.name, "day": day.isoformat(), "audience": audience.describe()},
            ),
        )
    reasons = [
        _("Post %(post)s is not in the event's audience: %(audience)s.")
        % {"post": post_label(facts.post), "audience": audience.describe()}
    ]
    for acting in facts.acting:
        reasons.append(
            _("Acting (%(kind)s) as %(post)s is not in the audience either.")
            % {"kind": acting.acting.capitalize(), "post": post_label(acting)}
        )
    return Verdict(False, tuple(reasons))
