"""The stand-in's state survives a restart (the benchmark stops it during pushes and counts what arrived),
and it takes a burst of pushes from several clients at once."""

import http.client
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from line_standin.demo_users import DEMO_USERS

PRASERT = DEMO_USERS[3].user_id


def push(standin, text, key):
    return standin.post("/v2/bot/message/push", {"to": PRASERT, "messages": [{"type": "text", "text": text}]},
                        headers={**standin.bot_headers(), "X-Line-Retry-Key": key})


def test_messages_keys_users_and_retry_keys_survive_a_restart(line_standin):
    key = str(uuid.uuid4())
    assert push(line_standin, "ก่อนหยุด", key).status == 200
    added = line_standin.post("/_standin/users", {"display_name": "ลุงมี"}).json()
    kid = line_standin.get("/oauth2/v2.1/certs").json()["keys"][0]["kid"]

    line_standin.restart()

    assert [m["message"]["text"] for m in line_standin.messages(PRASERT)] == ["ก่อนหยุด"]
    assert push(line_standin, "ก่อนหยุด", key).status == 409
    assert line_standin.stats()["pushes_delivered"] == 1
    assert added["userId"] in {u["userId"] for u in line_standin.users()}
    assert line_standin.get("/oauth2/v2.1/certs").json()["keys"][0]["kid"] == kid


def test_a_thousand_pushes_from_eight_clients_each_delivered_once(line_standin):
    keys = [str(uuid.uuid4()) for _ in range(1000)]
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda k: push(line_standin, k, k).status, keys))
        repeats = list(pool.map(lambda k: push(line_standin, k, k).status, keys[:100]))
    elapsed = time.monotonic() - started

    assert statuses == [200] * 1000 and repeats == [409] * 100
    assert line_standin.stats()["pushes_delivered"] == 1000 == line_standin.stats()["retry_keys"]
    assert sorted(m["message"]["text"] for m in line_standin.messages(PRASERT)) == sorted(keys)
    print(f"1,100 pushes from 8 clients in {elapsed:.2f} s")
    assert elapsed < 30  # a few seconds here; generous for a loaded 2-core machine


def test_pushes_on_one_kept_alive_connection_do_not_wait_for_delayed_acks(line_standin):
    """Raksa's client keeps its connection: 200 pushes on it take well under a second (with Nagle's algorithm
    on the server each would wait ~40 ms for the client's delayed ACK: 8 s)."""
    connection = http.client.HTTPConnection("127.0.0.1", line_standin.port, timeout=10)
    headers = {**line_standin.bot_headers(), "Content-Type": "application/json"}
    body = json.dumps({"to": PRASERT, "messages": [{"type": "text", "text": "ping"}]})
    started = time.monotonic()
    for _ in range(200):
        connection.request("POST", "/v2/bot/message/push", body, {**headers, "X-Line-Retry-Key": str(uuid.uuid4())})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200 and answer.getheader("Connection") != "close"
    elapsed = time.monotonic() - started
    connection.close()
    print(f"200 pushes on one connection in {elapsed:.2f} s")
    assert elapsed < 4


def test_a_hard_kill_during_a_burst_loses_nothing_and_retries_deliver_once(line_standin):
    """The benchmark's outage: the stand-in is killed (SIGKILL) while pushes arrive; the senders retry with the
    same keys until 200 or 409 once it is back. Every key is delivered exactly once."""
    keys = [str(uuid.uuid4()) for _ in range(600)]
    refused = []

    def send_until_answered(key):
        for _ in range(400):
            try:
                status = push(line_standin, key, key).status
            except (OSError, http.client.HTTPException):  # refused, or cut mid-answer (IncompleteRead), by the kill
                refused.append(key)
                status = None
            if status in (200, 409):
                return status
            time.sleep(0.05)
        return status

    with ThreadPoolExecutor(4) as pool:
        results = pool.map(send_until_answered, keys)
        time.sleep(0.1)
        line_standin.process.kill()
        line_standin.process.wait()
        time.sleep(1)
        line_standin.start()
        statuses = list(results)

    assert refused  # the kill did land in the middle of the burst
    assert set(statuses) <= {200, 409}
    assert line_standin.stats()["pushes_delivered"] == 600 == line_standin.stats()["retry_keys"]
    assert sorted(m["message"]["text"] for m in line_standin.messages(PRASERT)) == sorted(keys)
    print(f"{len(set(refused))} pushes retried across the kill, {statuses.count(409)} answered 409 "
          "(accepted before it)")
