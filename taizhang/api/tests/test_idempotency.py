import threading
import unittest

from django.db import connection
from django.test import Client, TransactionTestCase, override_settings

from taizhang.api.tests.base import ApiTestCase
from taizhang.ledger.models import Activity
from taizhang.testing import build_ledger, build_small_ningbo

URL = "/api/v1/activities/"


class IdempotencyTests(ApiTestCase):
    def test_a_retried_create_records_once_and_answers_the_same(self):
        secret = self.token(self.bob)
        first = self.post(URL, secret, self.lecture_body(), HTTP_IDEMPOTENCY_KEY="k-1")
        again = self.post(URL, secret, self.lecture_body(), HTTP_IDEMPOTENCY_KEY="k-1")
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json(), again.json())
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Activity.objects.count(), 3)
        # another key is another record
        self.post(URL, secret, self.lecture_body(), HTTP_IDEMPOTENCY_KEY="k-2")
        self.assertEqual(Activity.objects.count(), 4)

    def test_the_same_key_with_another_body_is_409(self):
        secret = self.token(self.bob)
        self.post(URL, secret, self.lecture_body(), HTTP_IDEMPOTENCY_KEY="k-1")
        other = self.post(
            URL, secret, self.lecture_body(participants=3), HTTP_IDEMPOTENCY_KEY="k-1"
        )
        self.assertEqual(other.status_code, 409)
        self.assertEqual(Activity.objects.count(), 3)

    def test_a_refused_create_keeps_no_key(self):
        secret = self.token(self.bob)
        bad = self.post(
            URL, secret, self.lecture_body(starts_on="2018-01-01"), HTTP_IDEMPOTENCY_KEY="k"
        )
        self.assertEqual(bad.status_code, 400)
        good = self.post(URL, secret, self.lecture_body(), HTTP_IDEMPOTENCY_KEY="k")
        self.assertEqual(good.status_code, 201)

    def test_bulk_and_problem_creates_are_idempotent_too(self):
        secret = self.token(self.bob)
        body = {"items": [self.lecture_body(), self.lecture_body(org=self.branch)]}
        for _ in range(2):
            self.post(f"{URL}bulk/", secret, body, HTTP_IDEMPOTENCY_KEY="bulk-1")
        self.assertEqual(Activity.objects.count(), 4)
        problem = {
            "org": self.shiqi.code,
            "title": "停车难",
            "source": "research",
            "raised_on": "2019-10-08",
            "deadline": "2019-11-30",
        }
        answers = [
            self.post("/api/v1/problems/", secret, problem, HTTP_IDEMPOTENCY_KEY="p-1").json()["id"]
            for _ in range(2)
        ]
        self.assertEqual(answers[0], answers[1])


@unittest.skipUnless(connection.vendor == "postgresql", "concurrent sessions need PostgreSQL")
@override_settings(AXES_ENABLED=False)
class ConcurrentIdempotencyTests(TransactionTestCase):
    """Two requests with the same key at once, each on its own connection: one records,
    the other waits on the key and answers the first one's response."""

    def test_two_concurrent_requests_with_one_key_record_once(self):
        from taizhang.api import tokens
        from taizhang.audit.services import Actor

        build_small_ningbo(self)
        build_ledger(self)
        _token, secret = tokens.create_token(Actor.web(self.bob), name="并发", read_only=False)
        body = (
            '{"org": "330203009001", "kind": "party_lecture", "starts_on": "2019-09-25",'
            ' "lecturer_role": "secretary", "participants": 12}'
        )
        barrier, answers = threading.Barrier(4), []

        def send():
            try:
                barrier.wait()
                response = Client().post(
                    URL, data=body, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_IDEMPOTENCY_KEY="same",
                )  # fmt: skip
                answers.append((response.status_code, response.json().get("id")))
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(answers), 4)
        self.assertEqual({status for status, _id in answers}, {201})
        self.assertEqual(len({pk for _status, pk in answers}), 1)
        self.assertEqual(Activity.objects.filter(participants=12).count(), 1)
