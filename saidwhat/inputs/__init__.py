"""Inputs: txt, HTML, JSONL and WARC files (and stdin) read into :class:`~.documents.Document`\\ s
with errors that name the file (:mod:`.readers`), and many documents through the extractor in
worker processes (:mod:`.batch`)."""
from .documents import Document, JsonlFields, expand_paths, is_container
from .readers import iter_documents, read_bytes, read_document, read_path, read_stream

__all__ = ["Document", "JsonlFields", "expand_paths", "is_container", "iter_documents", "read_bytes",
           "read_document", "read_path", "read_stream"]
