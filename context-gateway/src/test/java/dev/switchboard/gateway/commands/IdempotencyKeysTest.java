package dev.switchboard.gateway.commands;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyKeysTest {

    @Test
    void theDefaultTenantsKeyIsItsCommandIdAsBefore() {
        assertThat(IdempotencyKeys.commandId("default", "order-42")).isEqualTo("order-42");
        assertThat(IdempotencyKeys.commandId(null, "order-42")).isEqualTo("order-42");
        assertThat(IdempotencyKeys.commandId("acme", null)).isNull();
    }

    @Test
    void anotherTenantsKeyNamesTheTenant() {
        assertThat(IdempotencyKeys.commandId("acme", "order-42")).isEqualTo("acme:order-42");
        assertThat(IdempotencyKeys.commandId("acme", "order-42")).isNotEqualTo(IdempotencyKeys.commandId("globex", "order-42"));
    }

    @Test
    void noTenantCanPickAKeyThatBecomesAnotherTenantsCommandId() {
        List<String[]> requests = List.of(
                new String[]{"acme", "x"}, new String[]{"default", "acme:x"}, new String[]{"globex", "acme:x"},
                new String[]{"a", "b:c"}, new String[]{"a:b", "c"}, new String[]{"a%3Ab", "c"}, new String[]{"default", "x"},
                new String[]{"default", "default:x"}, new String[]{"default", "x:"}, new String[]{"x", ""});
        Set<String> ids = requests.stream().map(r -> IdempotencyKeys.commandId(r[0], r[1])).collect(Collectors.toSet());
        assertThat(ids).hasSize(requests.size());
        assertThat(IdempotencyKeys.commandId("a:b", "c")).isEqualTo("a%3Ab:c");
        assertThat(IdempotencyKeys.commandId("ö y", "c")).isEqualTo("%C3%B6%20y:c");
    }
}
