"""A small OpenAI-compatible server for tests, benchmarks and development (not for production).

It speaks the part of the OpenAI / SGLang HTTP API that judgeflow uses: `POST /v1/chat/completions`
(plain or streamed as server-sent events, `response_format` in the `json_schema` and the llama.cpp
`json_object` + `schema` forms, SGLang's `regex` / `ebnf`), `GET /v1/models` and SGLang's `GET /health`,
and it reports `usage.prompt_tokens_details.cached_tokens` from a prefix cache over the prompts it has
seen, the way SGLang's radix cache does. Every request body is kept (`server.requests`) so a test can
assert on the exact JSON a client sent.

Who answers is a responder:
- `LocalResponder` generates with local weights through transformers + xgrammar (a real model);
- `ScriptedResponder` returns scripted texts — a fake model for control-flow tests only;
- `FixedTimeResponder` waits a fixed time, then returns the smallest document the schema accepts
  (benchmarks: the model's time is known exactly, so what remains is the orchestrator's).

    python -m judgeflow.llm.compat_server --model-path /models/tiny --port 30000
    python -m judgeflow.llm.compat_server --fixed-delay-ms 200 --port 30000
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from judgeflow.llm.local import compile_constraint, generate, json_schema_of, load_local_model

ID_BYTES = array("q").itemsize


@dataclass(frozen=True)
class Answer:
    """What a responder produced for one request."""

    text: str
    prompt_ids: tuple[int, ...]
    completion_tokens: int
    finish_reason: str = "stop"


class Responder(Protocol):
    """Produces the answer to one chat-completions request body."""

    model_name: str

    def answer(self, body: dict[str, Any]) -> Answer:
        """The answer to `body` (may raise HTTPFailure to answer with an HTTP error)."""
        ...


class HTTPFailure(Exception):
    """Makes the server answer with an HTTP status instead of a completion."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def char_ids(messages: list[dict[str, Any]]) -> tuple[int, ...]:
    """Prompt 'tokens' for responders without a tokenizer: the code points of the rendered messages."""
    rendered = "".join(f"<{m.get('role')}>{m.get('content')}\n" for m in messages)
    return tuple(ord(c) for c in rendered)


def max_tokens_of(body: dict[str, Any], default: int = 512) -> int:
    """The answer length the request allows (max_completion_tokens or the older max_tokens)."""
    return int(body.get("max_completion_tokens") or body.get("max_tokens") or default)


class LocalResponder:
    """Answers with local weights (transformers), constrained by xgrammar like SGLang's own backend."""

    def __init__(self, model_path: str, device: str = "cpu", model_name: str = "local") -> None:
        self.model_path = model_path
        self.device = device
        self.model_name = model_name

    def answer(self, body: dict[str, Any]) -> Answer:
        """Generate under the request's constraint (schema, regex or EBNF)."""
        loaded = load_local_model(self.model_path, self.device)
        constraint = compile_constraint(
            loaded,
            response_format=body.get("response_format"),
            regex=body.get("regex"),
            ebnf=body.get("ebnf"),
        )
        messages = [{"role": m["role"], "content": str(m.get("content") or "")} for m in body["messages"]]
        result = generate(
            loaded,
            messages,
            max_tokens=max_tokens_of(body),
            temperature=float(body.get("temperature") or 0.0),
            constraint=constraint,
        )
        return Answer(result.text, result.prompt_ids, result.completion_tokens, result.finish_reason)


class ScriptedResponder:
    """A scripted fake model (control-flow tests only): returns its texts in order, the last one forever.

    An entry may be a string, a function of the request body, or an HTTPFailure to raise; `delay_s`
    makes every answer slow (timeouts).
    """

    def __init__(
        self,
        script: list[str | Callable[[dict[str, Any]], str] | HTTPFailure],
        delay_s: float = 0.0,
        model_name: str = "scripted-fake",
    ) -> None:
        self.script = list(script)
        self.delay_s = delay_s
        self.model_name = model_name
        self.calls = 0
        self._lock = threading.Lock()

    def answer(self, body: dict[str, Any]) -> Answer:
        """The next scripted entry."""
        with self._lock:
            entry = self.script[min(self.calls, len(self.script) - 1)]
            self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        if isinstance(entry, HTTPFailure):
            raise entry
        text = entry(body) if callable(entry) else entry
        return Answer(text, char_ids(body["messages"]), max(1, len(text) // 2))


def minimal_instance(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """The smallest JSON value `schema` accepts (required properties only, empty arrays, '' and 0)."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return minimal_instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return minimal_instance(schema[key][0], defs)
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal_instance(props[name], defs) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal_instance(schema["items"], defs) for _ in range(schema.get("minItems", 0))]
    return {"string": "", "integer": 0, "number": 0, "boolean": False, "null": None}.get(kind)


class FixedTimeResponder:
    """Waits `delay_s`, then answers with the minimal instance of the request's schema (benchmarks)."""

    def __init__(self, delay_s: float, model_name: str = "fixed-time") -> None:
        self.delay_s = delay_s
        self.model_name = model_name

    def answer(self, body: dict[str, Any]) -> Answer:
        """The schema's minimal instance, after the fixed delay."""
        time.sleep(self.delay_s)
        schema = json_schema_of(body.get("response_format"))
        text = json.dumps(minimal_instance(schema or {}), ensure_ascii=False)
        return Answer(text, char_ids(body["messages"]), max(1, len(text) // 2))


@dataclass
class PrefixCache:
    """Counts how many leading prompt tokens an earlier prompt already had (as a radix cache would).

    Prompts are kept as packed 8-byte ids and compared with `bytes.startswith` (memcmp), and an earlier
    prompt is measured only when it beats the best match so far: a token-by-token Python loop over
    every earlier prompt cost the server milliseconds a request, which the benchmarks would have
    counted as client time.
    """

    seen: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, ids: tuple[int, ...]) -> int:
        """Length of the longest prefix shared with an earlier prompt; remembers this one."""
        packed = array("q", ids).tobytes()
        total = len(packed) // ID_BYTES
        with self.lock:
            best = 0
            for old in self.seen:
                if best == total:
                    break
                if old.startswith(packed[: (best + 1) * ID_BYTES]):
                    best = _shared_items(old, packed, best + 1)
            self.seen.append(packed)
            return best


def _shared_items(a: bytes, b: bytes, known: int) -> int:
    """How many leading 8-byte items two packed id sequences share, given that the first `known` agree."""
    low, high = known, min(len(a), len(b)) // ID_BYTES
    while low < high:  # the first `low` items agree; those from `high + 1` on do not all agree
        mid = (low + high + 1) // 2
        if a.startswith(b[: mid * ID_BYTES]):
            low = mid
        else:
            high = mid - 1
    return low


class CompatServer(ThreadingHTTPServer):
    """The HTTP server: a responder, the request bodies it received, a prefix cache, and how long it
    spent on each completion request (`handling_s`: from reading the body to the last byte written,
    the responder's own time included), so a benchmark can tell the server's time from the client's."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], responder: Responder, json_schema_form: bool = True) -> None:
        super().__init__(address, Handler)
        self.responder = responder
        self.json_schema_form = json_schema_form
        self.requests: list[dict[str, Any]] = []
        self.handling_s: list[float] = []
        self.cache = PrefixCache()

    @property
    def base_url(self) -> str:
        """The OpenAI base URL clients use (http://127.0.0.1:PORT/v1)."""
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class Handler(BaseHTTPRequestHandler):
    """One request to the compat server."""

    server: CompatServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK of the headers (40 ms on Linux) — time a real server (SGLang's uvicorn
    # sets TCP_NODELAY) does not spend and a benchmark must not count as the client's.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and benchmarks read the recorded bodies instead."""

    def _json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        """/health (SGLang) and /v1/models."""
        if self.path == "/health":
            self._json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            name = self.server.responder.model_name
            self._json(
                200, {"object": "list", "data": [{"id": name, "object": "model", "owned_by": "judgeflow"}]}
            )
        else:
            self._json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        """/v1/chat/completions."""
        started = time.perf_counter()
        try:
            self._complete()
        finally:
            self.server.handling_s.append(time.perf_counter() - started)

    def _complete(self) -> None:
        """Read the request, ask the responder, write the completion (plain or streamed)."""
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path != "/v1/chat/completions":
            self._json(404, {"error": {"message": f"no route {self.path}"}})
            return
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            self._json(400, {"error": {"message": "body is not JSON"}})
            return
        self.server.requests.append(body)
        form = (body.get("response_format") or {}).get("type")
        if form == "json_schema" and not self.server.json_schema_form:
            # llama_cpp.server's answer to the OpenAI form of response_format
            self._json(500, {"error": {"message": "response_format type json_schema is not supported"}})
            return
        try:
            answer = self.server.responder.answer(body)
        except HTTPFailure as failure:
            self._json(failure.status, {"error": {"message": str(failure)}})
            return
        usage = {
            "prompt_tokens": len(answer.prompt_ids),
            "completion_tokens": answer.completion_tokens,
            "total_tokens": len(answer.prompt_ids) + answer.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": self.server.cache.cached(answer.prompt_ids)},
        }
        ident = f"chatcmpl-{uuid.uuid4().hex[:12]}"
        if body.get("stream"):
            self._stream(ident, body, answer, usage)
            return
        self._json(
            200,
            {
                "id": ident,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.server.responder.model_name,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": answer.text},
                        "finish_reason": answer.finish_reason,
                    }
                ],
                "usage": usage,
            },
        )

    def _stream(self, ident: str, body: dict[str, Any], answer: Answer, usage: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        base = {"id": ident, "object": "chat.completion.chunk", "created": int(time.time())}
        base["model"] = self.server.responder.model_name

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        events: list[dict[str, Any]] = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": piece}) for piece in _pieces(answer.text, 16)]
        events.append(chunk({}, answer.finish_reason))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append({**base, "choices": [], "usage": usage})
        for event in events:
            self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True


def _pieces(text: str, size: int) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


@contextmanager
def running_server(
    responder: Responder, port: int = 0, json_schema_form: bool = True
) -> Iterator[CompatServer]:
    """Serve on 127.0.0.1 in a background thread for the duration of the block."""
    server = CompatServer(("127.0.0.1", port), responder, json_schema_form=json_schema_form)
    thread = threading.Thread(target=server.serve_forever, name="compat-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    """Serve a local model, or fixed-time answers, until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m judgeflow.llm.compat_server", description=__doc__)
    parser.add_argument("--model-path", help="folder of local weights (transformers + xgrammar)")
    parser.add_argument("--fixed-delay-ms", type=float, help="answer minimal JSON after this many ms instead")
    parser.add_argument("--port", type=int, default=30000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--llama-cpp", action="store_true", help="refuse the json_schema form, as llama.cpp does"
    )
    args = parser.parse_args(argv)
    responder: Responder
    if args.model_path:
        responder = LocalResponder(args.model_path, args.device)
    elif args.fixed_delay_ms is not None:
        responder = FixedTimeResponder(args.fixed_delay_ms / 1000)
    else:
        parser.error("give --model-path or --fixed-delay-ms")
    server = CompatServer((args.host, args.port), responder, json_schema_form=not args.llama_cpp)
    print(f"serving {responder.model_name} at http://{args.host}:{server.server_address[1]}/v1", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
