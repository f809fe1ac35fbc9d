"""judgeflow.agents"""
