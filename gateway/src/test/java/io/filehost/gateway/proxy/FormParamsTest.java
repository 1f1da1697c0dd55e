package io.filehost.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FormParamsTest {
    @Test
    void decodesLikePhp() {
        Map<String, List<String>> params = FormParams.decode("a=1+2&b=%C3%BC&c=x;y&a=3&empty=&flag");
        assertEquals(List.of("1 2", "3"), params.get("a"));
        assertEquals(List.of("ü"), params.get("b"));
        assertEquals(List.of("x;y"), params.get("c"), "';' is not a separator");
        assertEquals(List.of(""), params.get("empty"));
        assertEquals(List.of(""), params.get("flag"));
        assertThrows(IllegalArgumentException.class, () -> FormParams.decode("a=%ZZ"));
    }

    @Test
    void bodyWinsOverQueryNameByName() {
        Map<String, List<String>> merged = FormParams.merge(
                FormParams.decode("file_id=1&folder_id=2"), FormParams.decode("file_id=9&x=y"));
        assertEquals("file_id=9&folder_id=2&x=y", FormParams.encode(merged));
    }

    @Test
    void encodesEverythingThatNeedsIt() {
        assertEquals("n=a+b%26c%3Dd%2B%25&m=%E6%97%A5", FormParams.encode(Map.of("n", List.of("a b&c=d+%")))
                + "&" + FormParams.encode(Map.of("m", List.of("日"))));
    }

    @Test
    void firstNonBlankTrims() {
        assertEquals("tok", FormParams.firstNonBlank(List.of(" ", " tok ")));
        assertNull(FormParams.firstNonBlank(List.of("  ")));
        assertNull(FormParams.firstNonBlank((List<String>) null));
    }

    @Test
    void removesOnlyTheNamedParameterFromARawQuery() {
        assertEquals("account_id=1&folder_id=%2F5", FormParams.withoutParam(
                "access_token=abc&account_id=1&folder_id=%2F5&access%5Ftoken=x", "access_token"));
        assertEquals("", FormParams.withoutParam("access_token=abc", "access_token"));
        assertEquals("", FormParams.withoutParam(null, "access_token"));
    }
}
