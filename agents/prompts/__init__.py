"""Prompt files of the model-backed agents (Markdown, read by judgeflow.llm.prompts)."""
