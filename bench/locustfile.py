"""Load scenarios of ``make bench`` (locust, headless); ``bench/run.py`` runs them one by one.

Every user is a closed loop: it sends its next request as soon as the previous answer
arrives (no think time). ``BENCH_SCENARIO`` names the user class to run; the data the
scenarios need (drafts to submit and their applicants' tokens, an administrator's token
and session) is in the JSON file ``BENCH_DATA`` written by the runner.

| scenario | request | baseline |
|---|---|---|
| submit | POST /api/v1/declarations/<id>/submit/ (each draft once) | baseline_insert |
| queue_page | GET /review/ as the committee host's administrator | — |
| queue_api | GET /api/v1/review/queue/ as the same person | — |
| public_page | GET /publicity/, anonymous | baseline_template |
"""

from __future__ import annotations

import json
import os
from collections import deque

from locust import constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ.get("BENCH_DATA", "var/bench/data.json"), encoding="utf-8") as fh:
    DATA = json.load(fh)

# One draft per submission: each applicant may submit once a year (R2.4).
POOL = deque(DATA.get("pool", []))


class _Base(FastHttpUser):
    abstract = True
    # BENCH_PACED_RPS (per user) turns the closed loop into a paced one, for latency at a
    # load below saturation; otherwise no think time at all.
    wait_time = (
        constant_throughput(float(os.environ["BENCH_PACED_RPS"]))
        if os.environ.get("BENCH_PACED_RPS")
        else constant(0)
    )
    # The closed loop waits for each answer; never give up on a slow one.
    network_timeout = 60.0
    connection_timeout = 60.0


class Submit(_Base):
    @task
    def submit(self) -> None:
        if not POOL:
            self.environment.runner.quit()
            return
        user_id, declaration_id, token = POOL.popleft()
        with self.client.post(
            f"/api/v1/declarations/{declaration_id}/submit/",
            json={"integrity_accepted": True},
            headers={"Authorization": f"Token {token}"},
            name="submit",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class BaselineInsert(_Base):
    @task
    def insert(self) -> None:
        token = DATA["baseline_tokens"][id(self) % len(DATA["baseline_tokens"])]
        with self.client.post(
            "/bench/baseline/insert/",
            headers={"Authorization": f"Token {token}"},
            name="baseline_insert",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}")


class QueuePage(_Base):
    @task
    def queue(self) -> None:
        with self.client.get(
            "/review/",
            headers={"Cookie": f"sessionid={DATA['admin_session']}"},
            name="queue_page",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "审核" not in response.text:
                response.failure(f"{response.status_code}")


class QueueApi(_Base):
    @task
    def queue(self) -> None:
        with self.client.get(
            "/api/v1/review/queue/",
            headers={"Authorization": f"Token {DATA['admin_token']}"},
            name="queue_api",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or len(response.json()["results"]) != 50:
                response.failure(f"{response.status_code}")


class PublicPage(_Base):
    @task
    def page(self) -> None:
        with self.client.get("/publicity/", name="public_page", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class BaselineTemplate(_Base):
    @task
    def page(self) -> None:
        with self.client.get(
            "/bench/baseline/template/", name="baseline_template", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


# The runner names the class to run (bench/run.py: SCENARIO_CLASSES).
