import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-8">
      <p className="text-sm font-medium text-muted">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-muted">Nothing lives at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link href="/" className="font-medium text-accent underline underline-offset-2">
          Back to the overview
        </Link>
      </p>
    </main>
  );
}
