"""Each command this process sends to Redis is counted once (shared/store/pool.py, for GET /api/cost)."""

from shared.board.cost import process_cost
from shared.board.settings import Settings
from shared.store.pool import connect, connect_alone


def commands_sent_by(action):
    """How many commands process_cost counted while `action()` ran."""
    before = process_cost.redis_commands
    action()
    return process_cost.redis_commands - before


def test_a_command_a_script_and_each_command_of_a_pipeline_count_one_each(redis_url, key_prefix):
    settings = Settings(redis_url=redis_url, key_prefix=key_prefix)
    client = connect(redis_url, settings, name=f"{key_prefix}count")
    client.ping()  # the connection's own hello (CLIENT SETNAME, ...) is sent, and counted, here
    script = client.register_script("return redis.call('INCR', KEYS[1])")
    script([f"{key_prefix}scripted"])  # loads the script: later calls are one EVALSHA each

    def pipeline():
        with client.pipeline(transaction=False) as pipe:
            pipe.incr(f"{key_prefix}a").incr(f"{key_prefix}b").get(f"{key_prefix}a")
            pipe.execute()

    assert commands_sent_by(lambda: client.incr(f"{key_prefix}lone")) == 1
    assert commands_sent_by(pipeline) == 3
    assert commands_sent_by(lambda: script([f"{key_prefix}scripted"])) == 1  # its INCR runs inside Redis
    client.close()


def test_the_listeners_own_connection_is_counted_too(redis_url, key_prefix):
    client = connect_alone(redis_url, f"{key_prefix}alone", read_timeout_seconds=2)
    client.ping()
    assert commands_sent_by(lambda: client.get(f"{key_prefix}missing")) == 1
    client.close()
