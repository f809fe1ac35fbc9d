"""judgeflow.llm"""
