import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.AnalyzerWrapper;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * An OpenSearch export read by Lucene itself, the engine a cluster runs.
 *
 * <pre>
 *   analyze MAPPING TEXTS     each text of the JSON list TEXTS through each analyzer of
 *                             MAPPING: a JSON line a text, {analyzer: [[position, term]...]}
 *   search MAPPING FOLDER REQUESTS
 *                             the bulk files of FOLDER indexed as MAPPING says, then the
 *                             query of each request body of the JSON list REQUESTS:
 *                             a JSON line a request, {ids: the ids it finds, sorted,
 *                             aggs: {name: {value: count}}} (terms and yearly date
 *                             histograms counted over every hit, as OpenSearch counts them)
 * </pre>
 *
 * The analyzers are built with Lucene's CustomAnalyzer from the factories that
 * OpenSearch's analysis types stand for; synonym rules are parsed as
 * OpenSearch parses them, with the analyzer's chain before the synonym filter.
 * The query DSL is read as OpenSearch reads the parts news-search writes.
 */
public final class LuceneCheck {
    public static void main(String[] args) throws Exception {
        Map<String, Object> mapping = Json.object(Json.parse(read(Paths.get(args[1]))));
        Analyzers analyzers = new Analyzers(mapping, Files.createTempDirectory("lucene-check"));
        StringBuilder out = new StringBuilder();
        if (args[0].equals("analyze")) {
            for (Object text : Json.list(Json.parse(read(Paths.get(args[2]))))) {
                Map<String, Object> line = new LinkedHashMap<>();
                for (String name : analyzers.names()) {
                    line.put(name, tokens(analyzers.get(name), (String) text));
                }
                out.append(Json.write(line)).append('\n');
            }
        } else {
            Searching searching = new Searching(mapping, analyzers, Paths.get(args[2]));
            for (Object request : Json.list(Json.parse(read(Paths.get(args[3]))))) {
                out.append(Json.write(searching.answer(Json.object(request)))).append('\n');
            }
        }
        System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
    }

    static String read(Path path) throws IOException {
        return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    }

    /** Each token's position and term, as OpenSearch's _analyze lists them. */
    static List<Object> tokens(Analyzer analyzer, String text) throws IOException {
        List<Object> found = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("field", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
            stream.reset();
            int position = -1;
            while (stream.incrementToken()) {
                position += increment.getPositionIncrement();
                found.add(List.of((long) position, term.toString()));
            }
            stream.end();
        }
        return found;
    }

    /** The analyzers of a mapping's settings, by name. */
    static final class Analyzers {
        private final Map<String, Object> analysis;
        private final Path folder;
        private final Map<String, Analyzer> built = new LinkedHashMap<>();

        Analyzers(Map<String, Object> mapping, Path folder) throws IOException {
            this.analysis = Json.object(Json.object(Json.object(mapping.get("settings")).get("analysis")));
            this.folder = folder;
            for (String name : names()) {
                built.put(name, build(Json.object(section("analyzer").get(name))));
            }
        }

        List<String> names() {
            return new ArrayList<>(section("analyzer").keySet());
        }

        Analyzer get(String name) {
            Analyzer analyzer = built.get(name);
            if (analyzer == null) {
                throw new IllegalArgumentException("no analyzer " + name);
            }
            return analyzer;
        }

        private Map<String, Object> section(String name) {
            Object found = analysis.get(name);
            return found == null ? new HashMap<>() : Json.object(found);
        }

        private Analyzer build(Map<String, Object> definition) throws IOException {
            CustomAnalyzer.Builder builder = CustomAnalyzer.builder(folder);
            for (Object name : Json.list(definition.getOrDefault("char_filter", List.of()))) {
                Map<String, Object> filter = Json.object(section("char_filter").get(name));
                require(filter, "mapping");
                List<String> lines = new ArrayList<>();
                for (Object rule : Json.list(filter.get("mappings"))) {
                    String[] sides = ((String) rule).split(" => ", -1);
                    lines.add(solrString(sides[0]) + " => " + solrString(sides[1]));
                }
                builder.addCharFilter("mapping", "mapping", file(name + ".txt", lines));
            }
            Map<String, Object> tokenizer = Json.object(section("tokenizer").get(definition.get("tokenizer")));
            require(tokenizer, "pattern");
            builder.withTokenizer("pattern", "pattern", (String) tokenizer.get("pattern"), "group",
                    String.valueOf(tokenizer.get("group")));
            List<Object> filters = Json.list(definition.get("filter"));
            for (int i = 0; i < filters.size(); i++) {
                String name = (String) filters.get(i);
                Map<String, Object> filter = section("filter").containsKey(name)
                        ? Json.object(section("filter").get(name)) : Map.of("type", name);
                String type = (String) filter.get("type");
                if (type.equals("synonym_graph")) {
                    if (i != filters.size() - 1) {
                        throw new IllegalArgumentException("a synonym filter is read here only as the last filter");
                    }
                    return withSynonyms(builder.build(), Json.list(filter.get("synonyms")));
                } else if (type.equals("lowercase")) {
                    builder.addTokenFilter("lowercase");
                } else if (type.equals("stop")) {
                    List<String> words = new ArrayList<>();
                    for (Object word : Json.list(filter.get("stopwords"))) {
                        words.add((String) word);
                    }
                    builder.addTokenFilter("stop", "words", file(name + ".txt", words), "ignoreCase", "false");
                } else if (type.equals("snowball")) {
                    builder.addTokenFilter("snowballPorter", "language", (String) filter.get("language"));
                } else {
                    throw new IllegalArgumentException("no Lucene factory known here for the filter type " + type);
                }
            }
            return builder.build();
        }

        private static void require(Map<String, Object> definition, String type) {
            if (!type.equals(definition.get("type"))) {
                throw new IllegalArgumentException("expected a " + type + ", not " + definition);
            }
        }

        private String file(String name, List<String> lines) throws IOException {
            Files.write(folder.resolve(name), lines, StandardCharsets.UTF_8);
            return name;
        }

        private static String solrString(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        /** The rules parsed by the analyzer before the synonym filter, as OpenSearch does. */
        private static Analyzer withSynonyms(Analyzer before, List<Object> rules) throws IOException {
            SolrSynonymParser parser = new SolrSynonymParser(true, true, before);
            StringBuilder text = new StringBuilder();
            for (Object rule : rules) {
                text.append((String) rule).append('\n');
            }
            try {
                parser.parse(new StringReader(text.toString()));
            } catch (java.text.ParseException e) {
                throw new IOException(e);
            }
            SynonymMap synonyms = parser.build();
            return new AnalyzerWrapper(before.getReuseStrategy()) {
                @Override
                protected Analyzer getWrappedAnalyzer(String field) {
                    return before;
                }

                @Override
                protected TokenStreamComponents wrapComponents(String field, TokenStreamComponents components) {
                    return new TokenStreamComponents(components.getSource(),
                            new SynonymGraphFilter(components.getTokenStream(), synonyms, true));
                }
            };
        }
    }

    /** The exported documents in a Lucene index, and the DSL's queries run on it. */
    static final class Searching {
        private final Map<String, Map<String, Object>> fields = new HashMap<>();
        private final Analyzers analyzers;
        private final IndexSearcher searcher;

        Searching(Map<String, Object> mapping, Analyzers analyzers, Path folder) throws IOException {
            this.analyzers = analyzers;
            Map<String, Object> properties = Json.object(Json.object(mapping.get("mappings")).get("properties"));
            Map<String, Analyzer> indexing = new HashMap<>();
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                Map<String, Object> definition = Json.object(property.getValue());
                declare(property.getKey(), definition, indexing);
                Map<String, Object> subfields = Json.object(definition.getOrDefault("fields", Map.of()));
                for (Map.Entry<String, Object> sub : subfields.entrySet()) {
                    declare(property.getKey() + "." + sub.getKey(), Json.object(sub.getValue()), indexing);
                }
            }
            ByteBuffersDirectory directory = new ByteBuffersDirectory();
            Analyzer perField = new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), indexing);
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(perField));
                    DirectoryStream<Path> files = Files.newDirectoryStream(folder, "documents-*.ndjson")) {
                for (Path file : files) {
                    String[] lines = read(file).split("\n");
                    for (int i = 0; i + 1 < lines.length; i += 2) {
                        writer.addDocument(document(Json.object(Json.parse(lines[i])), Json.object(Json.parse(lines[i + 1]))));
                    }
                }
            }
            this.searcher = new IndexSearcher(DirectoryReader.open(directory));
        }

        private void declare(String name, Map<String, Object> definition, Map<String, Analyzer> indexing) {
            fields.put(name, definition);
            if ("text".equals(definition.get("type"))) {
                indexing.put(name, analyzers.get((String) definition.get("analyzer")));
            }
        }

        private Document document(Map<String, Object> action, Map<String, Object> source) {
            Document document = new Document();
            document.add(new StringField("_id", (String) Json.object(action.get("index")).get("_id"), Field.Store.YES));
            for (Map.Entry<String, Object> value : source.entrySet()) {
                Object given = value.getValue();
                for (Object one : given instanceof List ? Json.list(given) : List.of(given)) {
                    for (Map.Entry<String, Map<String, Object>> field : fields.entrySet()) {
                        String name = field.getKey();
                        if (name.equals(value.getKey()) || name.startsWith(value.getKey() + ".")) {
                            add(document, name, (String) field.getValue().get("type"), (String) one);
                        }
                    }
                }
            }
            return document;
        }

        private static void add(Document document, String name, String type, String value) {
            if (type.equals("text")) {
                document.add(new TextField(name, value, Field.Store.NO));
            } else if (type.equals("keyword")) {
                document.add(new StringField(name, value, Field.Store.YES));
            } else if (type.equals("date")) {
                document.add(new LongPoint(name, millis(value)));
                document.add(new StoredField(name, value));
            }
        }

        static long millis(String date) {
            LocalDateTime time = date.length() == 10 ? LocalDate.parse(date).atStartOfDay() : LocalDateTime.parse(date);
            return time.toInstant(ZoneOffset.UTC).toEpochMilli();
        }

        Map<String, Object> answer(Map<String, Object> request) throws IOException {
            TreeSet<String> ids = new TreeSet<>();
            Map<String, Object> aggs = new LinkedHashMap<>();
            Map<String, Object> asked = Json.object(request.getOrDefault("aggs", Map.of()));
            for (ScoreDoc hit : searcher.search(query(request.get("query")), Integer.MAX_VALUE).scoreDocs) {
                Document document = searcher.doc(hit.doc);
                ids.add(document.get("_id"));
                for (Map.Entry<String, Object> aggregation : asked.entrySet()) {
                    count(aggregation.getKey(), Json.object(aggregation.getValue()), document, aggs);
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ids", new ArrayList<>(ids));
            answer.put("aggs", aggs);
            return answer;
        }

        /** One hit counted in an aggregation: a terms aggregation, or a date histogram by year. */
        private static void count(String name, Map<String, Object> aggregation, Document document,
                Map<String, Object> aggs) {
            String kind = aggregation.keySet().iterator().next();
            Map<String, Object> body = Json.object(aggregation.get(kind));
            if (kind.equals("date_histogram") && !"year".equals(body.get("calendar_interval"))) {
                throw new IllegalArgumentException("only yearly histograms are counted here");
            } else if (!kind.equals("date_histogram") && !kind.equals("terms")) {
                throw new IllegalArgumentException("no aggregation known here for " + kind);
            }
            Map<String, Object> counts = Json.object(aggs.computeIfAbsent(name, key -> new TreeMap<String, Object>()));
            for (String value : document.getValues((String) body.get("field"))) {
                String key = kind.equals("terms") ? value : value.substring(0, 4);
                counts.merge(key, 1L, (a, b) -> (Long) a + (Long) b);
            }
        }

        Query query(Object node) {
            Map<String, Object> clause = Json.object(node);
            String kind = clause.keySet().iterator().next();
            Map<String, Object> body = Json.object(clause.get(kind));
            switch (kind) {
                case "bool":
                    return bool(body);
                case "match_all":
                    return new MatchAllDocsQuery();
                case "match_none":
                    return new MatchNoDocsQuery();
                case "ids": {
                    BooleanQuery.Builder any = new BooleanQuery.Builder();
                    for (Object id : Json.list(body.get("values"))) {
                        any.add(new TermQuery(new Term("_id", (String) id)), Occur.SHOULD);
                    }
                    return any.build();
                }
                default:
                    break;
            }
            String field = body.keySet().iterator().next();
            Object argument = body.get(field);
            Map<String, Object> options = argument instanceof Map ? Json.object(argument) : Map.of("value", argument);
            Query query;
            switch (kind) {
                case "term":
                    query = new TermQuery(new Term(field, (String) options.get("value")));
                    break;
                case "terms": {
                    BooleanQuery.Builder any = new BooleanQuery.Builder();
                    for (Object value : Json.list(argument)) {
                        any.add(new TermQuery(new Term(field, (String) value)), Occur.SHOULD);
                    }
                    query = any.build();
                    options = Map.of();
                    break;
                }
                case "prefix":
                    query = new PrefixQuery(new Term(field, (String) options.get("value")));
                    break;
                case "wildcard":
                    query = new WildcardQuery(new Term(field, (String) options.get("value")));
                    break;
                case "fuzzy":
                    query = new FuzzyQuery(new Term(field, (String) options.get("value")),
                            ((Number) options.get("fuzziness")).intValue(), ((Number) options.get("prefix_length")).intValue(),
                            ((Number) options.get("max_expansions")).intValue(), (Boolean) options.get("transpositions"));
                    break;
                case "match_phrase":
                    query = new QueryBuilder(searchAnalyzer(field, options)).createPhraseQuery(field,
                            (String) options.get("query"), ((Number) options.getOrDefault("slop", 0L)).intValue());
                    break;
                case "match":
                    query = new QueryBuilder(searchAnalyzer(field, options)).createBooleanQuery(field,
                            (String) options.get("query"), "and".equals(options.get("operator")) ? Occur.MUST : Occur.SHOULD);
                    break;
                case "range":
                    query = range(field, options);
                    break;
                default:
                    throw new IllegalArgumentException("no Lucene query known here for " + kind);
            }
            if (query == null) {
                query = new MatchNoDocsQuery();
            }
            return boosted(query, options);
        }

        private Query bool(Map<String, Object> body) {
            BooleanQuery.Builder builder = new BooleanQuery.Builder();
            Map<String, Occur> occurs = Map.of("must", Occur.MUST, "should", Occur.SHOULD, "must_not", Occur.MUST_NOT,
                    "filter", Occur.FILTER);
            int required = 0;
            int should = 0;
            for (Map.Entry<String, Occur> occur : occurs.entrySet()) {
                for (Object sub : Json.list(body.getOrDefault(occur.getKey(), List.of()))) {
                    builder.add(query(sub), occur.getValue());
                    required += occur.getValue() == Occur.MUST || occur.getValue() == Occur.FILTER ? 1 : 0;
                    should += occur.getValue() == Occur.SHOULD ? 1 : 0;
                }
            }
            Object least = body.get("minimum_should_match");
            if (least != null) {
                builder.setMinimumNumberShouldMatch(((Number) least).intValue());
            } else if (should > 0 && required == 0) {
                builder.setMinimumNumberShouldMatch(1); // OpenSearch: a bool of should clauses alone needs one
            }
            if (required == 0 && should == 0) {
                builder.add(new MatchAllDocsQuery(), Occur.FILTER); // OpenSearch: must_not alone excludes from all
            }
            return boosted(builder.build(), body);
        }

        private Analyzer searchAnalyzer(String field, Map<String, Object> options) {
            Object named = options.get("analyzer");
            if (named == null) {
                Map<String, Object> definition = fields.get(field);
                named = definition.getOrDefault("search_analyzer", definition.get("analyzer"));
            }
            return analyzers.get((String) named);
        }

        private static Query range(String field, Map<String, Object> bounds) {
            long low = Long.MIN_VALUE;
            long high = Long.MAX_VALUE;
            if (bounds.containsKey("gte")) {
                low = millis((String) bounds.get("gte"));
            }
            if (bounds.containsKey("gt")) {
                low = millis((String) bounds.get("gt")) + 1;
            }
            if (bounds.containsKey("lte")) {
                high = millis((String) bounds.get("lte"));
            }
            if (bounds.containsKey("lt")) {
                high = millis((String) bounds.get("lt")) - 1;
            }
            return LongPoint.newRangeQuery(field, low, high);
        }

        private static Query boosted(Query query, Map<String, Object> options) {
            Object boost = options.get("boost");
            return boost == null ? query : new BoostQuery(query, ((Number) boost).floatValue());
        }
    }

    /** Just enough JSON: objects, lists, strings, numbers, booleans and null. */
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.space();
            if (json.at != text.length()) {
                throw new IllegalArgumentException("text after the JSON value at " + json.at);
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object value) {
            return (Map<String, Object>) value;
        }

        @SuppressWarnings("unchecked")
        static List<Object> list(Object value) {
            return (List<Object>) value;
        }

        static String write(Object value) {
            if (value instanceof String) {
                StringBuilder out = new StringBuilder("\"");
                for (char c : ((String) value).toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                return out.append('"').toString();
            }
            if (value instanceof Map) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, Object> entry : object(value).entrySet()) {
                    parts.add(write(entry.getKey()) + ": " + write(entry.getValue()));
                }
                return "{" + String.join(", ", parts) + "}";
            }
            if (value instanceof List) {
                List<String> parts = new ArrayList<>();
                for (Object item : list(value)) {
                    parts.add(write(item));
                }
                return "[" + String.join(", ", parts) + "]";
            }
            return String.valueOf(value);
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private Object value() {
            space();
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> found = new LinkedHashMap<>();
                at++;
                space();
                if (text.charAt(at) == '}') {
                    at++;
                    return found;
                }
                do {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    found.put(key, value());
                    space();
                } while (text.charAt(at++) == ',');
                check('}');
                return found;
            }
            if (c == '[') {
                List<Object> found = new ArrayList<>();
                at++;
                space();
                if (text.charAt(at) == ']') {
                    at++;
                    return found;
                }
                do {
                    found.add(value());
                    space();
                } while (text.charAt(at++) == ',');
                check(']');
                return found;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String number = text.substring(start, at);
            return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : (Object) Double.valueOf(number);
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (text.charAt(at) != '"') {
                char c = text.charAt(at++);
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = text.charAt(at++);
                switch (escaped) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u': out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; break;
                    default: out.append(escaped);
                }
            }
            at++;
            return out.toString();
        }

        private void expect(char c) {
            if (text.charAt(at) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + at);
            }
            at++;
        }

        private void check(char c) {
            if (text.charAt(at - 1) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
            }
        }
    }
}
