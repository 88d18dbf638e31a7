"""The sandbox cluster: a real Kubernetes API server the builder can dry-run and apply Pods to."""
