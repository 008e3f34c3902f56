package io.authgateway.limits;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Buckets in Redis, shared by every replica: one {@code EVALSHA} of {@code gcra.lua} per decision,
 * a single round trip whatever the number of buckets. The script is called by its SHA-1, computed
 * here; when Redis does not know it (first use, or a restarted Redis) the call is repeated once as
 * {@code EVAL}, which also caches it. Connections come from a small Jedis pool whose connect,
 * read and borrow waits are all the configured timeout, so a decision never waits longer than
 * about that for a Redis that is down or slow.
 */
final class RedisRateStore implements RateStore {

    static final String KEY_PREFIX = "auth-gateway:limits:";
    private static final String SCRIPT = script();
    private static final String SHA = sha1(SCRIPT);

    private final JedisPool pool;

    RedisRateStore(String address, Optional<String> password, Duration timeout) {
        int millis = (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).clientName("auth-gateway");
        password.ifPresent(client::password);
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(64);
        poolConfig.setMaxIdle(64);
        poolConfig.setMaxWait(Duration.ofMillis(millis));
        poolConfig.setJmxEnabled(false);
        this.pool = new JedisPool(poolConfig, HostAndPort.from(address), client.build());
    }

    @Override
    public RateDecision take(List<Take> takes) throws StoreException {
        List<?> answer = run(takes, "take");
        if (((Long) answer.get(0)) == 1L) {
            return RateDecision.ALLOWED;
        }
        int index = ((Long) answer.get(1)).intValue() - 1;
        return new RateDecision.Refused(takes.get(index), Math.max(1, (Long) answer.get(2)) * 1000);
    }

    @Override
    public void charge(Take take) throws StoreException {
        run(List.of(take), "charge");
    }

    private List<?> run(List<Take> takes, String mode) throws StoreException {
        List<String> keys = new ArrayList<>(takes.size());
        List<String> args = new ArrayList<>(takes.size() * 2 + 1);
        for (Take take : takes) {
            keys.add(KEY_PREFIX + take.key());
            args.add(Long.toString(micros(take.rate().nanosFor(take.cost()))));
            args.add(Long.toString(micros(take.rate().toleranceNanos())));
        }
        args.add(mode);
        try (Jedis jedis = pool.getResource()) {
            Object answer;
            try {
                answer = jedis.evalsha(SHA, keys, args);
            } catch (JedisNoScriptException e) {
                answer = jedis.eval(SCRIPT, keys, args);
            }
            return (List<?>) answer;
        } catch (JedisException | ClassCastException e) {
            throw new StoreException("redis: " + e.getMessage(), e);
        }
    }

    private static long micros(long nanos) {
        return (nanos + 999) / 1000;
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String script() {
        try (InputStream in = RedisRateStore.class.getResourceAsStream("gcra.lua")) {
            if (in == null) {
                throw new IllegalStateException("gcra.lua missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
