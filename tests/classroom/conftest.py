"""The classroom tests: an nbgrader course and a JupyterHub for a class."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "classroom: needs the classroom extra (nbgrader, JupyterHub, Node.js proxy)"
    )
