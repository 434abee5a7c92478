"""Upstash Search's REST wire format (what the `upstash-search` SDK speaks), in memory.

Routes (all POST, `Authorization: Bearer <token>`): `/upsert-data/{index}`, `/search/{index}`,
`/fetch/{index}`, `/delete/{index}`, `/range/{index}`, `/reset/{index}`, `/info`, `/list-namespaces`,
`/delete-namespace/{index}`. Answers `{"result": ...}`; errors `{"error": str, "status": int}`.

Ranking stands in for the real hybrid engine: a keyword score (IDF-weighted share of query words
found) and a "semantic" score (character-trigram cosine to the closest name or alias), blended by
the request's `semanticWeight`. It is a stand-in with the same knobs, not Upstash's model.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from typing import Any

from tests.fakes.http import FakeHTTPServer, Reply, json_reply

__all__ = ["FakeUpstashSearch"]

_WORD = re.compile(r"[a-z0-9]+")
_SEARCH_KEYS = {
    "query",
    "topK",
    "filter",
    "reranking",
    "includeData",
    "includeMetadata",
    "semanticWeight",
    "inputEnrichment",
}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _trigrams(text: str) -> Counter[str]:
    padded = f"  {' '.join(_words(text))} "
    return Counter(padded[i : i + 3] for i in range(len(padded) - 2))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def error(status: int, message: str) -> Reply:
    return json_reply(status, {"error": message, "status": status})


class _Index:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self._prepared: dict[str, tuple[set[str], list[Counter[str]]]] = {}
        self._df: Counter[str] = Counter()

    def upsert(self, doc: dict[str, Any]) -> None:
        self.docs[doc["id"]] = doc
        self._prepared.pop(doc["id"], None)
        self._df = Counter()

    def delete(self, ids: list[str]) -> int:
        gone = [i for i in ids if self.docs.pop(i, None) is not None]
        for i in gone:
            self._prepared.pop(i, None)
        self._df = Counter()
        return len(gone)

    def _prepare(self, doc_id: str) -> tuple[set[str], list[Counter[str]]]:
        if doc_id not in self._prepared:
            content = self.docs[doc_id]["content"]
            text = " ".join(str(v) for v in content.values())
            names = [str(content.get("name", ""))]
            names += [a for a in str(content.get("aliases", "")).split(",") if a.strip()]
            self._prepared[doc_id] = (set(_words(text)), [_trigrams(n) for n in names if n.strip()])
        return self._prepared[doc_id]

    def search(self, query: str, top_k: int, semantic_weight: float) -> list[tuple[str, float]]:
        if not self._df:
            for doc_id in self.docs:
                self._df.update(self._prepare(doc_id)[0])
        n = max(1, len(self.docs))
        q_words = set(_words(query))
        idf = {w: math.log(1 + n / (1 + self._df.get(w, 0))) for w in q_words}
        total = sum(idf.values()) or 1.0
        q_tri = _trigrams(query)
        scored = []
        for doc_id in self.docs:
            words, names = self._prepare(doc_id)
            keyword = sum(idf[w] for w in q_words if w in words) / total
            semantic = max((_cosine(q_tri, t) for t in names), default=0.0)
            score = semantic_weight * semantic + (1 - semantic_weight) * keyword
            if score > 0:
                scored.append((doc_id, round(score, 6)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:top_k]


class FakeUpstashSearch(FakeHTTPServer):
    def __init__(self, token: str = "search-token") -> None:
        super().__init__()
        self.token = token
        self.indexes: dict[str, _Index] = {}
        self._data_lock = threading.Lock()

    def handle(self, method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
        if headers.get("authorization") != f"Bearer {self.token}":
            return error(401, "Unauthorized")
        if method != "POST":
            return error(405, "Method not allowed")
        parts = path.strip("/").split("/")
        route, name = parts[0], (parts[1] if len(parts) > 1 else None)
        with self._data_lock:
            if route == "info":
                return json_reply(200, {"result": self._info()})
            if route == "list-namespaces":
                return json_reply(200, {"result": sorted(self.indexes)})
            if name is None:
                return error(404, f"unknown path {path}")
            if route == "delete-namespace":
                if self.indexes.pop(name, None) is None:
                    return error(404, f"Index {name} does not exist")
                return json_reply(200, {"result": "Success"})
            handler = getattr(self, "_" + route.replace("-", "_"), None)
            if handler is None:
                return error(404, f"unknown path {path}")
            return handler(name, body)

    def _info(self) -> dict[str, Any]:
        per = {n: {"vectorCount": len(i.docs), "pendingVectorCount": 0} for n, i in self.indexes.items()}
        return {
            "vectorCount": sum(len(i.docs) for i in self.indexes.values()),
            "pendingVectorCount": 0,
            "indexSize": sum(len(str(d)) for i in self.indexes.values() for d in i.docs.values()),
            "namespaces": per,
        }

    def _upsert_data(self, name: str, body: Any) -> Reply:
        docs = body if isinstance(body, list) else [body]
        for doc in docs:
            if not isinstance(doc, dict) or not isinstance(doc.get("id"), str) or not doc["id"]:
                return error(400, "Invalid request: every document needs a string id")
            if not isinstance(doc.get("content"), dict) or not doc["content"]:
                return error(
                    400, f"Invalid request: document {doc.get('id')} needs a non-empty content object"
                )
        index = self.indexes.setdefault(name, _Index())
        for doc in docs:
            index.upsert({"id": doc["id"], "content": doc["content"], "metadata": doc.get("metadata")})
        return json_reply(200, {"result": "Success"})

    def _search(self, name: str, body: Any) -> Reply:
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return error(400, "Invalid request: query is required")
        unknown = set(body) - _SEARCH_KEYS
        if unknown:
            return error(400, f"Invalid request: unknown field(s) {sorted(unknown)}")
        weight = body.get("semanticWeight", 0.75)
        if not isinstance(weight, (int, float)) or not 0 <= weight <= 1:
            return error(400, "Invalid request: semanticWeight must be between 0 and 1")
        top_k = body.get("topK", 10)
        if not isinstance(top_k, int) or top_k < 1 or top_k > 1000:
            return error(400, "Invalid request: topK must be between 1 and 1000")
        index = self.indexes.get(name)
        if index is None:
            return json_reply(200, {"result": []})
        out = []
        for doc_id, score in index.search(body["query"], top_k, float(weight)):
            item: dict[str, Any] = {"id": doc_id, "score": score}
            doc = index.docs[doc_id]
            if body.get("includeData", False):
                item["content"] = doc["content"]
            if body.get("includeMetadata", False) and doc.get("metadata") is not None:
                item["metadata"] = doc["metadata"]
            out.append(item)
        return json_reply(200, {"result": out})

    def _fetch(self, name: str, body: Any) -> Reply:
        index = self.indexes.get(name) or _Index()
        if "ids" in body:
            docs = [index.docs.get(i) for i in body["ids"]]
        elif "prefix" in body:
            docs = [d for i, d in sorted(index.docs.items()) if i.startswith(body["prefix"])]
        else:
            return error(400, "Invalid request: ids or prefix is required")
        return json_reply(200, {"result": docs})

    def _delete(self, name: str, body: Any) -> Reply:
        index = self.indexes.get(name) or _Index()
        if body.get("ids") is not None:
            ids = list(body["ids"])
        elif body.get("prefix") is not None:
            ids = [i for i in index.docs if i.startswith(body["prefix"])]
        else:
            return error(400, "Invalid request: ids, prefix or filter is required")
        return json_reply(200, {"result": {"deleted": index.delete(ids)}})

    def _range(self, name: str, body: Any) -> Reply:
        index = self.indexes.get(name) or _Index()
        ids = sorted(i for i in index.docs if i.startswith(body.get("prefix") or ""))
        start = int(body.get("cursor") or 0)
        limit = int(body.get("limit", 1))
        page = [index.docs[i] for i in ids[start : start + limit]]
        nxt = str(start + limit) if start + limit < len(ids) else ""
        return json_reply(200, {"result": {"nextCursor": nxt, "vectors": page}})

    def _reset(self, name: str, body: Any) -> Reply:
        self.indexes[name] = _Index()
        return json_reply(200, {"result": "Success"})
