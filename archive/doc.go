// Package archive reads and writes web archives: WARC files (ISO 28500,
// WARC/1.0 and 1.1) such as Common Crawl's CC-NEWS, through the gowarc
// library. Reader turns a file or an HTTP(S) stream of records into
// pages as they were fetched; Writer keeps fetched pages in rotating WARC
// files so that they can be extracted again later.
package archive
