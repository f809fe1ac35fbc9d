"""How the agents use a model: prompts, structured answers, grounding against the state, and the
bounded retry that falls back to the rules result (the backends themselves live in `llm/`)."""
