package io.authgateway.upstream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamUrisTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "http://d:8080|/api/v1/push|NULL|http://d:8080/api/v1/push",
            "http://d:8080/|/api/v1/push|NULL|http://d:8080/api/v1/push",
            "http://d:8080/base|/api/v1/push|NULL|http://d:8080/base/api/v1/push",
            "http://d:8080/base/|/api/v1/push|NULL|http://d:8080/base/api/v1/push",
            "https://q.example|/prometheus/api/v1/query|query=sum%28up%29+by+%28job%29&time=1|https://q.example/prometheus/api/v1/query?query=sum%28up%29+by+%28job%29&time=1",
            "http://q|/api/v1/rules/a%2Fb|NULL|http://q/api/v1/rules/a%2Fb",
            "http://q|/loki/api/v1/query|query=%7Bjob%3D%22x%22%7D|http://q/loki/api/v1/query?query=%7Bjob%3D%22x%22%7D"})
    void joinsWithOneSlashAndKeepsEncodingByteForByte(String base, String path, String query, String expected) {
        assertThat(UpstreamUris.resolve(URI.create(base), path, query).toString()).isEqualTo(expected);
    }
}
