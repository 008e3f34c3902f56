package io.authgateway.codec;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireHeadersTest {

    private static final List<String> NAMES = List.of("content-type", "Content-Type", "CONTENT-TYPE", "X-Scope-OrgID",
            "x", "X", "a-B-c", "Accept", "1st-Name", "é-x", "Traceparent", "uber-trace-id");

    @Test
    void behavesLikeTheJdkHeadersClass() {
        Headers jdk = new Headers();
        WireHeaders ours = new WireHeaders();
        for (String name : NAMES) {
            jdk.add(name, "v-" + name);
            ours.add(name, "v-" + name);
        }
        jdk.set("Date", "today");
        ours.set("date", "today");
        assertThat(ours).isEqualTo(jdk);
        assertThat(ours.keySet()).isEqualTo(jdk.keySet());
        for (String name : NAMES) {
            assertThat(ours.get(name)).as(name).isEqualTo(jdk.get(name));
            assertThat(ours.getFirst(name.toUpperCase())).isEqualTo(jdk.getFirst(name.toUpperCase()));
            assertThat(ours.containsKey(name)).isTrue();
        }
        ours.remove("CONTENT-type");
        assertThat(ours.containsKey("content-type")).isFalse();
    }

    @Test
    void refusesLineBreaksInNamesAndValues() {
        WireHeaders headers = new WireHeaders();
        assertThatThrownBy(() -> headers.set("X", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add("X\nY", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.put("X", List.of("ok", "not\rok"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(headers).isEmpty();
    }
}
