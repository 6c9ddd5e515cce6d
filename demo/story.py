"""The life of one demo ticket after intake, played step by step in time
through the workflow, with the sweeps run between steps as production's
beat would have run them."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from demo import data as D
from demo import texts as T
from feedback import sweeps
from feedback.models import Office, Ticket

_OFFICE = Ticket._meta.get_field("office")


class Stop(Exception):
    """The next step of a ticket's story lies in the future: it stays open."""


class Story:
    """The life of one ticket after intake, step by step in time."""

    def __init__(
        self,
        gen: Any,  # the demo.generator.TicketGenerator playing this story
        ticket: Ticket,
        secret: str,
        rng,
        t: datetime,
        *,
        warn: bool = False,
    ):
        self.gen, self.wf, self.ticket, self.secret, self.rng = gen, gen.wf, ticket, secret, rng
        self.t = t
        # Whether the sweep's "due soon" warning is played too (the current
        # workload, where the inboxes show it).
        self.warn = warn

    @property
    def ticket(self) -> Ticket:
        return self._ticket

    @ticket.setter
    def ticket(self, ticket: Ticket) -> None:
        # The next action reuses the generator's loaded office (and its parent).
        office = self.gen.offices.get(ticket.office_id)
        if office is not None:
            _OFFICE.set_cached_value(ticket, office)
        self._ticket = ticket

    # time ---------------------------------------------------------------------

    def later(self, minutes: float) -> datetime:
        return self.t + timedelta(minutes=minutes)

    def office_time(self, t: datetime) -> datetime:
        """Staff act in office hours: an instant inside them at or after t."""
        t = self.gen.cal.when_elapsed(t, 0.0, "working_hours")
        return t + timedelta(minutes=self.rng.uniform(0, 25))

    def step(self, when: datetime) -> datetime:
        """Advance to `when`, letting the deadline sweep run first; stop the
        story if it lies in the future."""
        when = max(when, self.t + timedelta(seconds=30))
        if when > self.gen.now:
            raise Stop
        self.sweep(when)
        self.t = when
        return when

    def sweep(self, until: datetime) -> None:
        """What the periodic sweeps would have done before `until`."""
        self.ticket = sweeps.replay(
            self.ticket,
            until=until,
            lag=lambda: timedelta(minutes=self.rng.uniform(1, 15)),
            warn=self.warn,
        )

    # people -------------------------------------------------------------------

    def officer(self):
        staff = self.gen.staff[self.ticket.office_id]
        return self.rng.choice(staff["officer"] or staff["head"])

    def head(self):
        staff = self.gen.staff[self.ticket.office_id]
        return (staff["head"] or staff["officer"])[0]

    # the story ----------------------------------------------------------------

    def play(self) -> None:
        wf, rng, gen = self.wf, self.rng, self.gen
        self.ticket = wf.ticket_route(self.ticket, at=self.step(self.later(rng.uniform(0.5, 3))))
        self.triage()
        pace = gen.pace[self.ticket.office_id]
        roll = rng.random()
        if roll < 0.02:
            self.ticket = wf.ticket_reject(
                self.ticket, actor=self.officer(), reason=T.SPAM_REASON, at=self.step(self.ack_at())
            )
            return
        if roll < 0.05 and self.merge():
            return
        if roll < 0.10 and self.ticket.routing_rule_id:
            # The rule's office says "not ours"; routing tries the next one.
            self.ticket = wf.ticket_not_ours(
                self.ticket,
                actor=self.officer(),
                reason=rng.choice(T.NOT_OURS_REASONS),
                at=self.step(self.ack_at()),
            )
            self.ticket = wf.ticket_route(self.ticket, at=self.step(self.later(rng.uniform(1, 20))))
            self.triage()
        elif roll < 0.14:
            target = self.transfer_target()
            if target is not None:
                self.ticket = wf.ticket_transfer(
                    self.ticket,
                    actor=self.officer(),
                    to_office=target,
                    reason=rng.choice(T.TRANSFER_REASONS),
                    at=self.step(self.ack_at()),
                )
        self.work(stall=rng.random() < 0.01 + 0.05 * max(0.0, pace - 0.6))
        self.after_resolution()

    def triage(self) -> None:
        """A ticket no office claimed waits for the dispatcher, who sends it on."""
        office = self.gen.offices[self.ticket.office_id]
        if office.kind != Office.Kind.DISPATCH:
            return
        target = self.transfer_target() or self.gen.committee_of.get(self.ticket.unit_id)
        self.ticket = self.wf.ticket_transfer(
            self.ticket,
            actor=self.officer(),
            to_office=target,
            reason="Điều phối: chuyển cơ quan có thẩm quyền.",
            at=self.step(self.office_time(self.later(self.rng.uniform(20, 240)))),
        )

    def ack_at(self) -> datetime:
        hours = math.exp(self.rng.gauss(math.log(2.5), 0.8)) * self.gen.pace[self.ticket.office_id]
        return self.office_time(self.gen.cal.when_elapsed(self.t, hours, "working_hours"))

    def resolve_at(self) -> datetime:
        """A share of the time left before the due date: offices with a slow
        pace often overrun it."""
        tk = self.ticket
        span = (tk.due_at - self.t) if tk.due_at and tk.due_at > self.t else timedelta(days=5)
        share = math.exp(self.rng.gauss(math.log(self.gen.pace[tk.office_id]), 0.45))
        return self.office_time(self.t + span * share)

    def merge(self) -> bool:
        tk = self.ticket
        for other in reversed(self.gen.recent[(tk.category_id, tk.unit_id)]):
            if other.received_at < tk.received_at - timedelta(days=60):
                break
            if other.office_id == tk.office_id and other.status != Ticket.Status.REJECTED:
                self.ticket = self.wf.ticket_merge(
                    tk, actor=self.officer(), into=other.pk, at=self.step(self.ack_at())
                )
                return True
        return False

    def transfer_target(self) -> Office | None:
        tk, gen = self.ticket, self.gen
        office = gen.offices[tk.office_id]
        if office.kind == Office.Kind.COMMITTEE and office.peer_group == Office.PeerGroup.WARDS:
            code = D.TRANSFER_TO_DEPARTMENT.get(gen.top_code[tk.category_id])
            target = gen.office_by_code.get(code) if code else None
        else:
            target = gen.committee_of.get(tk.unit_id)
        return target if target is not None and target.pk != tk.office_id else None

    def work(self, *, stall: bool) -> None:
        wf, rng = self.wf, self.rng
        if stall and rng.random() < 0.3:
            raise Stop  # never even acknowledged
        if rng.random() < 0.25 and self.gen.staff[self.ticket.office_id]["head"]:
            head = self.head()
            self.ticket = wf.ticket_acknowledge(
                self.ticket, actor=head, at=self.step(self.ack_at())
            )
            self.ticket = wf.ticket_assign(
                self.ticket,
                actor=head,
                assignee=self.officer(),
                at=self.step(self.later(rng.uniform(5, 90))),
            )
        else:
            self.ticket = wf.ticket_acknowledge(
                self.ticket, actor=self.officer(), at=self.step(self.ack_at())
            )
        if stall:
            raise Stop
        tk = self.ticket
        if rng.random() < 0.08 and not tk.is_anonymous and (tk.contact_phone or tk.contact_email):
            self.ticket = wf.ticket_request_info(
                tk,
                actor=self.officer(),
                message=rng.choice(T.INFO_REQUESTS),
                at=self.step(self.office_time(self.later(rng.uniform(30, 600)))),
            )
            if rng.random() < 0.25:
                raise Stop  # the citizen never answered
            self.ticket = wf.ticket_citizen_reply(
                self.ticket,
                secret=self.secret,
                message=rng.choice(T.CITIZEN_REPLIES),
                at=self.step(self.later(rng.uniform(60, 60 * 24 * 5))),
            )
        if self.ticket.kind == "denunciation" and self.ticket.is_complex and rng.random() < 0.5:
            self.ticket = wf.ticket_extend(
                self.ticket,
                actor=self.head(),
                reason="Vụ việc phức tạp, cần xác minh thêm: gia hạn giải quyết 30 ngày.",
                at=self.step(self.office_time(self.later(60 * 24 * 14))),
            )
        self.resolve()

    def resolve(self) -> None:
        wf, rng = self.wf, self.rng
        actor = self.officer()
        message = rng.choice(
            [
                body
                for _, body in D.RESPONSE_TEMPLATES.get(
                    self.gen.top_code[self.ticket.category_id], []
                )
            ]
            or T.ANSWERS["default"]
        )
        self.ticket = wf.ticket_answer(
            self.ticket, actor=actor, message=message, at=self.step(self.resolve_at())
        )
        self.ticket = wf.ticket_resolve(
            self.ticket,
            actor=actor,
            message=rng.choice(T.ANSWERS["default"]),
            at=self.step(self.later(rng.uniform(1, 30))),
        )

    def after_resolution(self) -> None:
        """The citizen rates, reopens or stays quiet within their window
        (FEEDBACK_CLOSE_AFTER_DAYS); the closing sweep closes what is left
        quiet when the window ends (see sweep)."""
        wf, rng, tk = self.wf, self.rng, self.ticket
        window = wf.reporter_window_ends(tk)
        on_time = tk.due_at is None or tk.resolved_at <= tk.due_at
        care = self.gen.care[tk.office_id]
        if tk.round == 1 and rng.random() < 0.03:
            self.reopen(window)
            return
        rates = rng.random() < (0.6 if tk.contact_phone or tk.contact_email else 0.35)
        when = self.later(rng.uniform(30, 60 * 24 * 5))
        if rates and when < window:
            when = self.step(when)
            satisfied = rng.random() < care * (0.95 if on_time else 0.6)
            overall = rng.choice([4, 5, 5]) if satisfied else rng.choice([1, 2, 2, 3, 3])
            aspects = {}
            if rng.random() < 0.7:
                aspects = {
                    "timeliness": max(
                        1, min(5, (overall if on_time else overall - 1) + rng.choice([-1, 0, 0, 1]))
                    ),
                    "attitude": max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))),
                    "quality": max(1, min(5, overall + rng.choice([-1, 0, 0]))),
                }
            rating = wf.ticket_rate(
                tk,
                secret=self.secret,
                overall=overall,
                comment=rng.choice(T.RATING_COMMENTS[overall]) if rng.random() < 0.5 else "",
                at=when,
                **aspects,
            )
            self.ticket = rating.ticket  # as ticket_rate left it (closed if satisfied)
            if satisfied:
                return
            if tk.round == 1 and rng.random() < 0.4:
                self.reopen(window)

    # today's workload -------------------------------------------------------------

    def current(self, state: str, t: dict[str, datetime]) -> None:
        """Work the ticket up to `state` at the times `t` planned."""
        wf, rng = self.wf, self.rng
        self.ticket = wf.ticket_route(self.ticket, at=self.step(t["route"]))
        if state == "new":
            return
        if state == "triage":
            # Two offices say "not ours": the dispatcher has to decide.
            for n in (1, 2):
                self.ticket = wf.ticket_not_ours(
                    self.ticket,
                    actor=self.officer(),
                    reason=rng.choice(T.NOT_OURS_REASONS),
                    at=self.step(t[f"refuse{n}"]),
                )
                self.ticket = wf.ticket_route(self.ticket, at=self.step(t[f"route{n + 1}"]))
            return
        if state == "assigned" and self.gen.staff[self.ticket.office_id]["head"]:
            head = self.head()
            self.ticket = wf.ticket_acknowledge(self.ticket, actor=head, at=self.step(t["ack"]))
            self.ticket = wf.ticket_assign(
                self.ticket, actor=head, assignee=self.officer(), at=self.step(t["assign"])
            )
        else:
            self.ticket = wf.ticket_acknowledge(
                self.ticket, actor=self.officer(), at=self.step(t["ack"])
            )
        if state == "awaiting":
            self.ticket = wf.ticket_request_info(
                self.ticket,
                actor=self.officer(),
                message=rng.choice(T.INFO_REQUESTS),
                at=self.step(t["ask"]),
            )
        elif state == "reopened":
            actor = self.officer()
            self.ticket = wf.ticket_answer(
                self.ticket,
                actor=actor,
                message=rng.choice(T.ANSWERS["default"]),
                at=self.step(t["answer"]),
            )
            self.ticket = wf.ticket_resolve(
                self.ticket,
                actor=actor,
                message=rng.choice(T.ANSWERS["default"]),
                at=self.step(t["resolve"]),
            )
            if self.ticket.kind != "complaint":  # complaints have a second instance instead
                self.ticket = wf.ticket_reopen(
                    self.ticket,
                    secret=self.secret,
                    reason=rng.choice(T.REOPEN_REASONS),
                    at=self.step(t["reopen"]),
                )

    def reopen(self, window: datetime) -> None:
        wf, rng = self.wf, self.rng
        if self.ticket.kind == "complaint":
            return  # a complaint is not reopened: the law has a second instance instead
        if self.t > window - timedelta(hours=2):
            return  # too late: the closing sweep closes it
        when = min(self.later(rng.uniform(60, 60 * 24 * 3)), window - timedelta(minutes=5))
        self.ticket = wf.ticket_reopen(
            self.ticket, secret=self.secret, reason=rng.choice(T.REOPEN_REASONS), at=self.step(when)
        )
        self.ticket = wf.ticket_acknowledge(
            self.ticket, actor=self.officer(), at=self.step(self.ack_at())
        )
        self.resolve()
        self.after_resolution()
