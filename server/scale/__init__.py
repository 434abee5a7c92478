"""Running as one of many instances: readiness for the load balancer, draining on shutdown, identity."""
