"""judgeflow.app"""
