"""A problem on the list moves open → in progress → resolved → closed, one step at a time,
never closed without a resolution, with who and when kept; one solved on the spot is
resolved as it is recorded; reopening needs a reason."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.research import services
from taizhang.research.models import Problem, ProblemSource, ProblemState
from taizhang.testing import LedgerTestCase

D = datetime.date


class ProblemLifecycleTests(LedgerTestCase):
    def raise_one(self, actor=None, **fields):
        values = {
            "campaign": self.campaign,
            "org": self.shiqi,
            "title": "村道破损影响出行",
            "source": ProblemSource.SEMINAR,
            "raised_on": D(2019, 10, 8),
            "deadline": D(2019, 11, 30),
            "leader": self.zhang,
            **fields,
        }
        return services.raise_problem(actor or Actor.web(self.bob), **values)

    def test_a_problem_moves_one_step_at_a_time_and_keeps_who_and_when(self):
        bob = Actor.web(self.bob)
        problem = self.raise_one()
        self.assertEqual(problem.state, ProblemState.OPEN)
        services.start(bob, problem)
        services.resolve(bob, problem, resolution="已修复村道 1.2 公里", on=D(2019, 11, 20))
        services.close(Actor.web(self.hank), problem, on=D(2019, 11, 25))
        problem.refresh_from_db()
        self.assertEqual(problem.state, ProblemState.CLOSED)
        self.assertEqual((problem.resolved_by, problem.resolved_on), ("bob", D(2019, 11, 20)))
        self.assertEqual((problem.closed_by, problem.closed_on), ("hank", D(2019, 11, 25)))
        states = [
            c.after.get("state")
            for c in Change.objects.filter(
                model=Problem._meta.label_lower, object_id=str(problem.pk)
            ).order_by("id")
        ]
        self.assertEqual(states, ["open", "in_progress", "resolved", "closed"])

    def test_no_state_can_be_skipped(self):
        bob = Actor.web(self.bob)
        problem = self.raise_one()
        with self.assertRaises(ValidationError):
            services.resolve(bob, problem, resolution="直接解决")
        with self.assertRaises(ValidationError):
            services.close(bob, problem)
        services.start(bob, problem)
        with self.assertRaises(ValidationError):
            services.close(bob, problem)  # not without a resolution
        with self.assertRaises(ValidationError):
            services.start(bob, problem)
        self.assertEqual(Problem.objects.get(pk=problem.pk).state, ProblemState.IN_PROGRESS)

    def test_a_resolution_must_say_how(self):
        bob = Actor.web(self.bob)
        problem = services.start(bob, self.raise_one())
        with self.assertRaises(ValidationError):
            services.resolve(bob, problem, resolution="   ")
        self.assertEqual(Problem.objects.get(pk=problem.pk).state, ProblemState.IN_PROGRESS)

    def test_solved_on_the_spot_is_resolved_as_it_is_recorded(self):
        problem = self.raise_one(solved_on_spot=True, resolution="现场协调解决")
        self.assertEqual(problem.state, ProblemState.RESOLVED)
        self.assertEqual(problem.resolved_on, problem.raised_on)
        with self.assertRaises(ValidationError):
            self.raise_one(solved_on_spot=True)  # no resolution
        self.assertEqual(Problem.objects.filter(solved_on_spot=True).count(), 1)

    def test_reopening_needs_a_reason_and_clears_the_resolution(self):
        bob = Actor.web(self.bob)
        problem = self.raise_one(solved_on_spot=True, resolution="现场协调解决")
        with self.assertRaises(ValidationError):
            services.reopen(bob, problem, reason="")
        services.reopen(bob, problem, reason="群众反映问题复发")
        problem.refresh_from_db()
        self.assertEqual(problem.state, ProblemState.IN_PROGRESS)
        self.assertFalse(problem.solved_on_spot)
        self.assertEqual(problem.resolution, "")
        change = Change.objects.filter(
            model=Problem._meta.label_lower, object_id=str(problem.pk)
        ).latest("id")
        self.assertEqual(change.note, "群众反映问题复发")
        self.assertEqual(change.before["resolution"], "现场协调解决")
        with self.assertRaises(ValidationError):
            services.reopen(bob, problem, reason="再次")  # it is open already

    def test_overdue_is_counted_against_the_deadline(self):
        late = self.raise_one(deadline=D(2019, 10, 31))
        services.start(Actor.web(self.bob), late)
        self.raise_one(title="按期", deadline=D(2019, 12, 31))
        done = self.raise_one(
            title="已现场解决", deadline=D(2019, 10, 9), solved_on_spot=True, resolution="好了"
        )
        today = D(2019, 11, 1)
        self.assertEqual(list(Problem.objects.overdue(today)), [late])
        self.assertTrue(late.is_overdue(today))
        self.assertFalse(done.is_overdue(today))
        self.assertFalse(late.is_overdue(D(2019, 10, 31)))

    def test_a_deadline_before_the_problem_is_refused(self):
        with self.assertRaises(ValidationError):
            self.raise_one(deadline=D(2019, 10, 1))
        self.assertFalse(Problem.objects.exists())

    def test_viewers_and_outsiders_may_not_write(self):
        with self.assertRaises(PermissionDenied):
            self.raise_one(actor=Actor.web(self.dave))  # viewer in 石碶
        with self.assertRaises(PermissionDenied):
            self.raise_one(actor=Actor.web(self.carol))  # clerk of the sibling district
        problem = self.raise_one()
        with self.assertRaises(PermissionDenied):
            services.start(Actor.web(self.carol), problem)
        self.assertEqual(Problem.objects.get(pk=problem.pk).state, ProblemState.OPEN)

    def test_a_leader_outside_the_scope_is_refused(self):
        with self.assertRaises(PermissionDenied):
            self.raise_one(actor=Actor.web(self.carol), org=self.cicheng, title="江北的问题")
        self.assertFalse(Problem.objects.exists())

    def test_the_list_is_scoped_to_the_users_subtree(self):
        self.raise_one()
        self.raise_one(
            actor=Actor.web(self.carol), org=self.cicheng, title="江北的问题", leader=self.li
        )
        self.assertEqual(
            [p.title for p in Problem.objects.visible_to(self.dave)], ["村道破损影响出行"]
        )
        self.assertEqual(
            sorted(p.title for p in Problem.objects.visible_to(self.alice)),
            sorted(["村道破损影响出行", "江北的问题"]),
        )
