"""Fixtures shared by the lab's tests."""
import pytest


@pytest.fixture
def stop_during():
    """stop_during(trainer, step): runs trainer.fit() and stops the job (KeyboardInterrupt) inside iteration
    `step`, as a killed process would be, after the checkpoints of the iterations before it."""
    def stop(trainer, step):
        inner = trainer.objective

        def killed(n, x, s):
            if s == step:
                raise KeyboardInterrupt
            return inner(n, x, s)
        trainer.objective = killed
        with pytest.raises(KeyboardInterrupt):
            trainer.fit()
    return stop
