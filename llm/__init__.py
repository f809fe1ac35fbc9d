"""Model backends behind one small interface: LangChain chat models for an SGLang server, any
OpenAI-compatible endpoint and local weights, their configuration per agent step, and a local
OpenAI-compatible server for tests and benchmarks. Nothing here knows the case state."""
