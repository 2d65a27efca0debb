"""The JSON API's typed description: the models that shape its answers and its parameters."""
