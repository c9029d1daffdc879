import type { ChatEntry, ChatFile } from '../types.js';

/** Types the browser shows as a picture; the console serves only these inline, anything else as a download. */
const PICTURES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The console's address for a file; `v` changes when the bot rewrites the message, so a cached old chart is not shown. */
function fileUrl(entry: ChatEntry, file: ChatFile): string {
  return `/api/chat/messages/${encodeURIComponent(entry.id)}/files/${file.index}?v=${entry.edits}`;
}

function FileView({ entry, file }: { entry: ChatEntry; file: ChatFile }) {
  if (file.problem) return <div class="file missing">📎 {file.name}: {file.problem}</div>;
  const url = fileUrl(entry, file);
  if (PICTURES.has(file.contentType.toLowerCase())) {
    return (
      <a class="file picture" href={url} target="_blank" rel="noopener noreferrer" title={`${file.name} (${size(file.size)}); open full size`}>
        <img src={url} alt={file.name} loading="lazy" />
      </a>
    );
  }
  return <a class="file download" href={url} download={file.name}>📎 {file.name} <span class="file-size">({size(file.size)})</span></a>;
}

/** The files the bot sent with a message: pictures (a report's chart) shown, anything else a download link. */
export function MessageFiles({ entry }: { entry: ChatEntry }) {
  return (
    <div class="files">
      {(entry.files ?? []).map((file) => <FileView key={file.index} entry={entry} file={file} />)}
    </div>
  );
}
