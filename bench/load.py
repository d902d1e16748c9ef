"""Drive a URL with wrk and read back throughput, latency percentiles and errors.

Every run uses a generated Lua script: `done()` prints the figures as JSON (wrk's own summary
has no p95), and `request()` builds the requests (cookies, CSRF token, POST bodies).
"""

import json
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, replace

WRK_THREADS = 2

DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "socket_errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""

def per_thread(values: list[dict]) -> str:
    """A wrk setup() giving each thread its own variables: values[i] (name -> number or text) for the i-th thread."""
    rows = ", ".join("{" + ", ".join(f"{name} = {lua_value(value)}" for name, value in row.items()) + "}" for row in values)
    return f"""
local per_thread = {{{rows}}}
local next_thread = 1
setup = function(thread)
  for name, value in pairs(per_thread[next_thread]) do thread:set(name, value) end
  next_thread = next_thread + 1
end
"""


def lua_value(value) -> str:
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


# After per_thread([{"first": n}, ...]): each wrk thread answers its own run of practice attempts in `chain` (each entry
# {attempt id, {the option token for position 1, 2, ...}}) from entry `first` on, one question per request and the next
# attempt after the last question, so every POST answers a fresh question; each answer names its option by the
# per-response token the question page would have sent.
ANSWER = """
local chain = {%(chain)s}
local slot = 0
request = function()
  local entry = chain[first + math.floor(slot / %(size)d)]
  local position = slot %% %(size)d + 1
  slot = slot + 1
  return wrk.format("POST", "/practice/" .. entry[1] .. "/" .. position .. "/", nil, "option=" .. entry[2][position])
end
"""

# After per_thread([{"cookie": ..., "card": ...}, ...]): a learner shows a card's answer, then rates it. Each wrk thread is
# one connection with a session and a card of its own, alternating the two requests, so a rating always follows a reveal
# that answered (the view refuses a rating whose answer was not shown).
REVEAL_AND_RATE = """
local shown = nil
request = function()
  local headers = {["Cookie"] = cookie, ["X-CSRFToken"] = "%(csrf)s", ["Content-Type"] = "application/x-www-form-urlencoded"}
  if shown then
    local mark = shown
    shown = nil
    return wrk.format("POST", "/flashcards/rate", headers, "card=" .. card .. "&rating=3&shown=" .. mark)
  end
  return wrk.format("GET", "/flashcards/review?show=" .. card, headers)
end
response = function(status, headers, body)
  -- the reveal's rating form carries the signed shown mark the rating must send back
  shown = status == 200 and body:match('name="shown" value="([^"]+)"') or nil
end
"""


@dataclass
class Target:
    name: str
    path: str
    cookie: str = ""
    csrf: str = ""
    body: str = ""  # a POST when set
    lua: str = ""  # a request() of its own (answering, rating)
    round_lua: tuple[str, ...] = ()  # instead of `lua`, one per round: answering goes on to fresh questions each round
    thread_per_connection: bool = False  # one connection per wrk thread (a session per thread)

    @property
    def plain_get(self) -> bool:
        """A GET of `path` and nothing else (no body, no script of its own)."""
        return not (self.body or self.lua or self.round_lua)

    def for_round(self, number: int) -> "Target":
        return replace(self, lua=self.round_lua[number], round_lua=()) if self.round_lua else self


@dataclass
class Result:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    requests: int
    seconds: float


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: apt-get install wrk (the Makefile's bench target does it where it can)")
    return found


def script(target: Target) -> str:
    lines = []
    headers = {"Cookie": target.cookie} if target.cookie else {}
    if target.csrf:
        headers.update({"X-CSRFToken": target.csrf, "Content-Type": "application/x-www-form-urlencoded"})
    for key, value in headers.items():
        lines.append(f'wrk.headers["{key}"] = "{value}"')
    if target.body:
        lines += ['wrk.method = "POST"', f'wrk.body = "{target.body}"']
    return "\n".join(lines) + "\n" + target.lua + DONE


def run(base_url: str, target: Target, connections: int, seconds: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script(target))
        lua.flush()
        threads = connections if target.thread_per_connection else min(WRK_THREADS, connections)
        command = [wrk_binary(), "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                   "--timeout", "10s", "-s", lua.name, base_url + target.path]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line[len("BENCH "):])
    return Result(
        rps=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000, p95_ms=figures["p95_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
        errors=figures["socket_errors"] + figures["bad_status"], requests=figures["requests"], seconds=figures["duration_us"] / 1e6,
    )


def combined(runs: list[Result]) -> Result:
    """Several runs of one target as one: throughput over their whole time, errors summed, p99 the worst run's (a stall in
    any run shows), p50 and p95 the middle run's."""
    seconds = sum(run.seconds for run in runs)
    return Result(rps=sum(run.requests for run in runs) / seconds, p50_ms=statistics.median(run.p50_ms for run in runs),
                  p95_ms=statistics.median(run.p95_ms for run in runs), p99_ms=max(run.p99_ms for run in runs),
                  errors=sum(run.errors for run in runs), requests=sum(run.requests for run in runs), seconds=seconds)
