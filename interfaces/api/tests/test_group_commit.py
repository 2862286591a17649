import threading
import time

import pytest

from interfaces.api.group_commit import GroupCommit


def test_a_lone_caller_runs_at_once_and_gets_its_own_result():
    calls = []
    group = GroupCommit(lambda items: calls.append(list(items)) or [i * 10 for i in items])
    assert group.submit(1) == 10 and group.submit(2) == 20
    assert calls == [[1], [2]]


def test_callers_arriving_during_a_run_share_the_next_run_and_get_their_own_results():
    release = threading.Event()
    runs = []

    def run(items):
        runs.append(list(items))
        if len(runs) == 1:
            release.wait(5)  # hold the first run while 20 more callers arrive
        return [f"r{i}" for i in items]

    group = GroupCommit(run, max_batch=8)
    results = {}

    def call(i):
        results[i] = group.submit(i)

    first = threading.Thread(target=call, args=(0,))
    first.start()
    while not runs:
        time.sleep(0.001)
    others = [threading.Thread(target=call, args=(i,)) for i in range(1, 21)]
    for t in others:
        t.start()
    while len(group._queue) < 20:
        time.sleep(0.001)
    release.set()
    for t in [first, *others]:
        t.join(5)
    assert results == {i: f"r{i}" for i in range(21)}
    assert runs[0] == [0] and [len(r) for r in runs[1:]] == [8, 8, 4]
    assert sorted(i for r in runs for i in r) == list(range(21))


def test_a_failed_run_fails_every_caller_in_it_and_the_next_run_goes_on():
    def run(items):
        if "bad" in items:
            raise ValueError("boom")
        return items

    group = GroupCommit(run)
    with pytest.raises(ValueError):
        group.submit("bad")
    assert group.submit("good") == "good"
