package score

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, world!", []string{"Hello", "world"}},
		{"snake_case x²½ Ⅻ", []string{"snake_case", "x²½", "Ⅻ"}},
		// Combining marks split words, as in Python.
		{"Cafe\u0301 हिन्दी", []string{"Cafe", "ह", "न", "द"}},
		{"a\u203fb", []string{"a", "b"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPage(t *testing.T) {
	if c := Page("", ""); c != (Counts{}) || c.Precision() != 1 || c.Recall() != 1 {
		t.Errorf("empty/empty = %+v", c)
	}
	c := Page("a b c d e", "a b c d")
	if math.Abs(c.TP-0.5) > 1e-9 || math.Abs(c.FN-0.5) > 1e-9 || c.FP != 0 {
		t.Errorf("truncated = %+v", c)
	}
}

type reference struct {
	F1        float64 `json:"f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Accuracy  float64 `json:"accuracy"`
	EmptyPred int     `json:"n_empty_pred"`
	PerPage   map[string]struct {
		Precision float64 `json:"precision"`
		Recall    float64 `json:"recall"`
	} `json:"per_page"`
}

func loadBodies(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v.ArticleBody
	}
	return out
}

func loadReference(t *testing.T, path string) reference {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]reference
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out["pred"]
}

func checkAgainst(t *testing.T, ref reference) {
	t.Helper()
	got := Evaluate(loadBodies(t, "testdata/gt.json"), loadBodies(t, "testdata/pred.json"))
	near := func(name string, a, b float64) {
		if math.Abs(a-b) > 5e-4 {
			t.Errorf("%s = %.4f, evaluate.py says %.4f", name, a, b)
		}
	}
	near("F1", got.F1, ref.F1)
	near("precision", got.Precision, ref.Precision)
	near("recall", got.Recall, ref.Recall)
	near("accuracy", got.Accuracy, ref.Accuracy)
	if got.EmptyPred != ref.EmptyPred {
		t.Errorf("empty predictions = %d, evaluate.py says %d", got.EmptyPred, ref.EmptyPred)
	}
	for _, p := range got.PerPage {
		r := ref.PerPage[p.ID]
		near(p.ID+" precision", p.Precision, r.Precision)
		near(p.ID+" recall", p.Recall, r.Recall)
	}
}

// TestEvaluateMatchesReference compares with numbers evaluate.py computed
// on the committed prediction file (testdata/reference.json).
func TestEvaluateMatchesReference(t *testing.T) {
	checkAgainst(t, loadReference(t, "testdata/reference.json"))
}

// TestEvaluateMatchesLive runs evaluate.py itself when it is at hand.
func TestEvaluateMatchesLive(t *testing.T) {
	script := filepath.Join("..", "..", "..", "shared", "bench", "evaluate.py")
	if env := os.Getenv("NEWSFLOW_EVALUATE"); env != "" {
		script = env
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found")
	}
	if _, err := os.Stat(script); err != nil {
		t.Skipf("evaluate.py not found at %s (set NEWSFLOW_EVALUATE)", script)
	}
	out := filepath.Join(t.TempDir(), "out.json")
	cmd := exec.Command(py, script, "--gt", "testdata/gt.json", "testdata/pred.json",
		"--n-bootstrap", "10", "--seed", "0", "--json", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("evaluate.py: %v\n%s", err, b)
	}
	checkAgainst(t, loadReference(t, out))
}
