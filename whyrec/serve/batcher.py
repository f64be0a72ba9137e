"""Requests that arrive together are explained together: one ``explain_many`` per batch.

Every explanation runs on one worker thread, one batch at a time: the matcher's caches and the
verbalizer are not shared between threads, and a batch turns the model's per-call cost into one
batched call for all waiting clients. A batch that fails (an unknown user in one request) is run
again request by request, so one bad request never fails the others.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import anyio.to_thread

Pairs = Sequence[tuple[str, str]]


@dataclass
class _Job:
    pairs: Pairs
    k: object  # sortable: an int, or the service's (k, language)
    done: asyncio.Future


class Batcher:
    """``await batcher.submit(pairs, k)``: the explanations of ``pairs``, in order."""

    def __init__(self, explain_many: Callable[[Pairs, int], list], max_pairs: int = 64):
        self.explain_many = explain_many
        self.max_pairs = max_pairs
        self._queue: asyncio.Queue[_Job] | None = None
        self._task: asyncio.Task | None = None
        self.batches = 0  # how many explain_many calls ran (the service's /healthz reports it)

    async def start(self) -> None:
        self._queue = asyncio.Queue()
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def submit(self, pairs: Pairs, k) -> list:
        """``k``: what the explain function takes besides the pairs (reasons per pair, or a sortable
        key such as (k, language)); requests with equal ``k`` share one batch."""
        assert self._queue is not None, "start() the batcher first"
        job = _Job(list(pairs), k, asyncio.get_running_loop().create_future())
        await self._queue.put(job)
        return await job.done

    async def _loop(self) -> None:
        assert self._queue is not None
        while True:
            jobs = [await self._queue.get()]
            size = len(jobs[0].pairs)
            while not self._queue.empty() and size < self.max_pairs:  # take what waits, up to a bound
                job = self._queue.get_nowait()
                jobs.append(job)
                size += len(job.pairs)
            for k in sorted({j.k for j in jobs}):
                await self._run([j for j in jobs if j.k == k and not j.done.done()], k)

    async def _run(self, jobs: list[_Job], k) -> None:
        flat = [p for j in jobs for p in j.pairs]
        try:
            self.batches += 1
            results = await anyio.to_thread.run_sync(self.explain_many, flat, k)
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request, which answers with a problem
            if len(jobs) == 1:
                _settle(jobs[0], exc=exc)
                return
            for job in jobs:  # find the request that failed; the others still get their answers
                await self._run([job], k)
            return
        at = 0
        for job in jobs:
            _settle(job, result=results[at:at + len(job.pairs)])
            at += len(job.pairs)


def _settle(job: _Job, result: list | None = None, exc: Exception | None = None) -> None:
    if job.done.done():  # the client gave up (time limit); nobody waits for this answer
        return
    if exc is not None:
        job.done.set_exception(exc)
    else:
        job.done.set_result(result)
