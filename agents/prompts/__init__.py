"""Prompt files of the model-backed agents (Markdown, read by judgeflow.agents.model_steps.prompts)."""
