"""Parse pages in worker processes that may die at any moment, and get every page back.

The parser is pure (bytes in, records out), so pages are parsed in worker processes while the
main process saves. Any process may be killed (the kernel's OOM killer, an operator, a crash in
a C library): a parse worker, the forkserver that starts them, the resource tracker. Each must
cost at most the page a worker was parsing, never the run.

So the workers are supervised here with public ``multiprocessing`` parts only: each worker has
its own pipe, the supervisor (a thread of the import process) knows exactly which pages each
one holds, and a worker whose pipe closes is replaced. ``concurrent.futures`` marks its whole
pool broken when one worker dies and raises from ``submit``; ``pebble`` would see every worker
as dead when the forkserver dies (their exit codes are read through it) while they go on
reading its task pipe.

- A worker that dies holding a page: the page is tried once more by a fresh worker (an outside
  kill costs nothing); if that worker dies too, the page fails with
  :data:`DIED` and the run goes on.
- The forkserver or resource tracker killed: running workers do not notice (their pipes are
  their own); the next worker started brings both back (``multiprocessing`` restarts them).
- No worker can be started at all: the remaining pages are parsed in the import process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from meetings.importer.pages import PageResult, exit_with, parse_file

logger = logging.getLogger(__name__)

PARSE_WORKERS = 2
PARALLEL_FROM = 8  # fewer pages than this are parsed in-process: workers cost ~1 s to start
WINDOW_PER_WORKER = 8  # parsed pages waiting to be saved, per worker: keeps memory flat
HEAD_START = 40  # pages parsed in this process while the workers start
DEPTH = 2  # pages sent to one worker ahead of its answers: it never waits for the next one
ATTEMPTS = 2  # workers a page may see die before it fails
DIED = "the parser process died on this page"
_POLL = 0.01  # seconds the supervisor waits for an answer before looking at the window again

Parse = Callable[[str], PageResult]


def parse_in_order(
    paths: list[str], *, workers: int = PARSE_WORKERS, parse: Parse = parse_file
) -> Iterator[PageResult]:
    """Parse results in the order of ``paths``; many pages are parsed by worker processes.

    At most ``WINDOW_PER_WORKER`` parsed pages per worker wait to be consumed, so memory does
    not grow with the number of pages. A page that kills its worker (twice) or hangs it (see
    ``pages.time_limit``) fails alone; the run goes on with fresh workers. The few pages
    parsed here while the workers start (``HEAD_START``) have no such guard. ``parse`` must
    be a module-level function that does not need Django.
    """
    if workers < 2 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield parse(path)
        return
    head = paths[: min(HEAD_START, len(paths) // 4)]
    supervisor = Supervisor(paths[len(head) :], parse, workers)
    supervisor.start()
    try:
        for path in head:
            yield parse(path)
        for index in range(len(paths) - len(head)):
            yield supervisor.take(index)
    finally:
        supervisor.stop()


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    held: deque[int] = field(default_factory=deque)  # job indexes sent, not yet answered


def _serve(conn: Connection, parse: Parse, parent_pid: int) -> None:
    """A worker's loop: a job index and path in, the index and its result out, until told to
    stop or the supervisor's end of the pipe closes."""
    exit_with(parent_pid)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, path = job
        conn.send((index, parse(path)))


class Supervisor(threading.Thread):
    """Hands ``paths`` to worker processes, keeps them alive, and collects the results."""

    def __init__(self, paths: list[str], parse: Parse, workers: int) -> None:
        super().__init__(name="parse-supervisor", daemon=True)
        self.paths = paths
        self.parse = parse
        self.size = workers
        self.window = workers * WINDOW_PER_WORKER
        # forkserver, not fork: a forked worker would share (and on exit close) the parent's
        # database connection. The server preloads the parser once for all workers.
        self.context: BaseContext = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["meetings.importer.pages", "meetings.importer.parse"])
        self.todo: deque[int] = deque(range(len(paths)))
        self.deaths: dict[int, int] = {}  # job index -> workers that died holding it
        self.results: dict[int, PageResult] = {}
        self.consumed = 0  # jobs taken by the consumer
        self.workers: list[_Worker] = []
        self.broken: BaseException | None = None  # set when no worker can be started
        self.stopping = False
        self.started_workers = 0
        self.ready = threading.Condition()

    # --- the consumer's side (the import's main thread) ---

    def take(self, index: int) -> PageResult:
        """The result of job ``index``, waiting for it; parsed here if the workers are gone."""
        with self.ready:
            while index not in self.results and self.broken is None and self.is_alive():
                self.ready.wait(0.5)
            result = self.results.pop(index, None)
            self.consumed = index + 1
        if result is None:  # the supervisor gave up: parse the rest in this process
            result = self.parse(self.paths[index])
        return result

    def stop(self) -> None:
        self.stopping = True
        self.join()

    # --- the supervisor thread ---

    def run(self) -> None:
        try:
            while not self.stopping and self.consumed < len(self.paths):
                self._keep_workers()
                self._dispatch()
                self._collect()
        except BaseException as exc:  # never leave the consumer waiting
            logger.warning("parse workers given up; parsing in the import process (%s)", exc)
            with self.ready:
                self.broken = exc
                self.ready.notify_all()
        finally:
            self._shut_down()

    def _keep_workers(self) -> None:
        while len(self.workers) < self.size and (self.todo or self._held()):
            self.workers.append(self._start_worker())

    def _start_worker(self) -> _Worker:
        """A new worker; multiprocessing restarts a dead forkserver or resource tracker here.
        A second failure in a row gives the workers up (see :meth:`take`)."""
        for attempt in (1, 2):
            ours, theirs = self.context.Pipe()
            process = self.context.Process(
                target=_serve,
                args=(theirs, self.parse, os.getpid()),
                name=f"parse-worker-{self.started_workers + 1}",
                daemon=True,
            )
            try:
                process.start()
            except Exception as exc:
                ours.close()
                if attempt == 2:
                    raise RuntimeError(f"cannot start a parse worker: {exc}") from exc
                logger.warning("could not start a parse worker (%s); trying once more", exc)
                continue
            finally:
                theirs.close()  # only the worker holds its end now: its death closes the pipe
            self.started_workers += 1
            return _Worker(process, ours)
        raise AssertionError("unreachable")

    def _held(self) -> int:
        return sum(len(w.held) for w in self.workers)

    def _dispatch(self) -> None:
        for worker in self.workers:
            while (
                self.todo
                and len(worker.held) < DEPTH
                and self.todo[0] < self.consumed + self.window
            ):
                index = self.todo.popleft()
                try:
                    worker.conn.send((index, self.paths[index]))
                except OSError:  # the worker is gone: _collect sees its pipe closed
                    self.todo.appendleft(index)
                    break
                worker.held.append(index)

    def _collect(self) -> None:
        by_conn = {w.conn: w for w in self.workers}
        for conn in wait(list(by_conn), timeout=_POLL):
            worker = by_conn[conn]
            try:
                index, result = conn.recv()
            except Exception:  # EOF, a broken pipe, half a message: the worker died
                self._bury(worker)
                continue
            if worker.held and worker.held[0] == index:
                worker.held.popleft()
            self._deliver(index, result)

    def _bury(self, worker: _Worker) -> None:
        """A worker died: the page it was parsing is tried again (or fails), the pages still
        waiting in its pipe go back to the front of the queue."""
        self.workers.remove(worker)
        worker.conn.close()
        worker.process.join(timeout=1)
        if not worker.held:
            logger.warning("parse worker %s died while idle; starting another", worker.process.pid)
            return
        culprit, *waiting = worker.held
        self.todo.extendleft(reversed(waiting))
        self.deaths[culprit] = self.deaths.get(culprit, 0) + 1
        path = self.paths[culprit]
        logger.warning("parse worker %s died on %s", worker.process.pid, path)
        if self.deaths[culprit] >= ATTEMPTS:
            self._deliver(culprit, PageResult(source=path, error=DIED))
        else:
            self.todo.appendleft(culprit)

    def _deliver(self, index: int, result: PageResult) -> None:
        with self.ready:
            self.results[index] = result
            self.ready.notify_all()

    def _shut_down(self) -> None:
        """Ask every worker to stop and close the pipes; a worker that does not end within a
        second is terminated (its pipe's end already tells it to stop)."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.conn.close()
        for worker in self.workers:
            worker.process.join(timeout=1)
            if worker.process.is_alive():
                worker.process.terminate()
        self.workers.clear()
