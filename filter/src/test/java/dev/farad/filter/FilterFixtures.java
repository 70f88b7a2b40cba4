package dev.farad.filter;

import java.nio.charset.StandardCharsets;

/** Shared documents for the filter tests. */
final class FilterFixtures {

    /** A document with one field of every kind the tables need. */
    static final String DOC = """
            {"region":"eu","qty":150,"px":99.5,"name":"Widget","empty":"","nul":null,"t":true,"f":false,
             "neg":-7,"zero":0,"numstr":"42","dstr":"2.5","word":"abc","tags":["red","green","blue"],
             "nums":[1,5,10],"none":[],"order":{"id":17,"side":"buy","legs":[{"px":1.5,"q":10},{"px":2.5,"q":20}]},
             "big":9223372036854775807,"esc":"a\\"b\\\\c\\nd","uni":"caf\\u00e9","utf":"café","mixed":[1,"x",null],
             "matrix":[[1,2],[3,4]],"tstr":"true","sp":"a b","dash-name":5,"e":1e3}
            """;

    private FilterFixtures() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean matches(String expression, String document) {
        return Filter.compile(expression).matches(utf8(document));
    }
}
