"""judgeflow.graph"""
