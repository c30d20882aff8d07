"""Work a command hands to a forked child process, so the machine's other core does it while
this process goes on (the report draws its heatmap, scans the transcripts for names and loads
the rule patterns its quote chooser matches passages with that way, about 5 s of its run at
1,000 interviews; the quotes export its names scan).

The child gets a copy of this process's memory and works on that alone: it never touches the
SQLite connection it inherits (SQLite forbids using a connection across fork), prints
nothing, and hands back a pickled result through a pipe. Where fork is unsafe, or the child
fails (killed, out of memory, an error), the work is done here instead, so the result is the
same either way; an error is then raised here, as if there had been no child.
"""
from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from qda.analysis.quotes import RuleHits
from qda.codebook.model import Codebook
from qda.privacy.names import load_word_lists
from qda.privacy.redact import HiddenNames, PeopleFinder, names_said
from qda.project import Project
from qda.text.nlp import can_fork
from qda.vocab import LANGS

T = TypeVar("T")
# below this many characters to scan for names, a child process costs more than it saves
SCAN_APART = 200_000


class Job(Generic[T]):
    """`work(*args)`, started in a child now; `result()` waits for it."""

    def __init__(self, work: Callable[..., T], *args: object, fork: bool = True):
        self._work, self._args = work, args
        self._pid: int | None = None
        self._pipe = -1
        if fork and can_fork():
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()

        def child() -> None:  # work, write the result
            os.close(read)
            payload = pickle.dumps(self._work(*self._args), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(payload)

        pid = _fork(child, read, write)  # None: the work is done here
        if pid is not None:
            os.close(write)
            self._pid, self._pipe = pid, read

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def result(self) -> T:
        """The child's result, or the work done here when there is no child or it failed."""
        if self._pid is not None:
            pipe, self._pipe = os.fdopen(self._pipe, "rb"), -1  # closed here, whatever happens
            with pipe:
                payload = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if status == 0:
                return pickle.loads(payload)
        return self._work(*self._args)

    def cancel(self) -> None:
        """End a child whose result is no longer wanted (the command failed meanwhile)."""
        if self._pid is not None:
            if self._pipe >= 0:
                os.close(self._pipe)
                self._pipe = -1
            _end(self._pid)
            self._pid = None


class PeopleScan:
    """`people(project)`, with the transcripts scanned for names (1.2 s for a million
    words) in a child process while the command reads its frames; texts scanned by an
    earlier report or export are not scanned again (`SaidNames`)."""

    def __init__(self, project: Project):
        self.finder = PeopleFinder(project)
        fork = sum(len(text) for text, _ in self.finder.todo) >= SCAN_APART
        if fork:  # read once, here, for both processes
            load_word_lists(LANGS)
        self.job: Job | None = Job(names_said, self.finder.todo, fork=fork)

    def result(self) -> HiddenNames:
        """Everyone named in the project, as `people(project)` gives them."""
        if self.job is not None:
            self._who = self.finder.hidden(self.job.result())
            self.job = None
        return self._who

    def cancel(self) -> None:
        """End the scan if its result is not wanted (the command failed)."""
        if self.job is not None:
            self.job.cancel()


class RulesApart:
    """`RuleHits(codebook)` kept in a child process: the rule patterns (about a second) load
    there while this process reads the study, then the child matches each
    passage the quote chooser scores in full (a few hundred) and sends the matches back. If
    the child fails, the patterns load here and the work goes on with the same matches."""

    def __init__(self, codebook: Codebook):
        self._codebook = codebook
        self._here: RuleHits | None = None
        self._pid: int | None = None
        self._topics: dict[str, dict[str, list[str]]] | None = None
        if can_fork():
            self._start()

    def _start(self) -> None:
        asks_in, asks_out = os.pipe()
        answers_in, answers_out = os.pipe()

        def child() -> None:  # load, then answer until this process closes its end
            os.close(asks_out)
            os.close(answers_in)
            with os.fdopen(asks_in, "rb") as asks, os.fdopen(answers_out, "wb") as answers:
                for answer in _answers(RuleHits(self._codebook), asks):
                    pickle.dump(answer, answers, pickle.HIGHEST_PROTOCOL)
                    answers.flush()

        pid = _fork(child, asks_in, asks_out, answers_in, answers_out)
        if pid is None:  # the patterns load here when first needed
            return
        os.close(asks_in)
        os.close(answers_out)
        self._pid = pid
        self._asks, self._answers = os.fdopen(asks_out, "wb"), os.fdopen(answers_in, "rb")

    @property
    def forked(self) -> bool:
        return self._pid is not None

    @property
    def topics(self) -> dict[str, dict[str, list[str]]]:
        if self._pid is not None:
            try:
                return self._loaded()
            except (OSError, EOFError, pickle.UnpicklingError):  # the child died
                self.close()
        return self._local().topics

    def __call__(self, key: str, text: str) -> list[tuple[str, str, int, int]]:
        if self._pid is not None:
            try:
                self._loaded()
                pickle.dump((key, text), self._asks, pickle.HIGHEST_PROTOCOL)
                self._asks.flush()
                return pickle.load(self._answers)
            except (OSError, EOFError, pickle.UnpicklingError):  # the child died
                self.close()
        return self._local()(key, text)

    def _loaded(self) -> dict[str, dict[str, list[str]]]:
        """The topics the child sends once its patterns are loaded (waits for them)."""
        if self._topics is None:
            self._topics = pickle.load(self._answers)
        return self._topics

    def _local(self) -> RuleHits:
        if self._here is None:
            self._here = RuleHits(self._codebook)
        return self._here

    def close(self) -> None:
        """End the child (its work is done, or the command failed)."""
        if self._pid is not None:
            for pipe in (self._asks, self._answers):
                try:
                    pipe.close()
                except OSError:
                    pass
            _end(self._pid)
            self._pid = None


def _fork(child: Callable[[], None], *pipes: int) -> int | None:
    """Fork a child that runs `child` and leaves without any clean-up (no atexit, no flush
    of this process's buffers, no SQLite), its status 0 if `child` returned; the child's id,
    or None (the `pipes` closed) when no process could be made (a limit, no memory)."""
    try:
        pid = os.fork()
    except OSError:
        for end in pipes:
            os.close(end)
        return None
    if pid == 0:
        status = 1
        try:
            child()
            status = 0
        finally:
            os._exit(status)
    return pid


def _end(pid: int) -> None:
    """Kill a child and reap it, so that no zombie outlives the command."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _answers(rules: RuleHits, asks) -> Iterator[object]:
    """What the child sends: the topics first, then the matches for each request."""
    yield rules.topics
    while True:
        try:
            key, text = pickle.load(asks)
        except EOFError:
            return
        yield rules(key, text)
