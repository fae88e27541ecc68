// Prisma's codes for the two database guards our use cases rely on under concurrency: a unique
// index (two creations of the same key) and a foreign key (a row referenced or removed meanwhile).
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

export function isForeignKeyViolation(error: unknown): boolean {
  return prismaCode(error) === "P2003";
}

function prismaCode(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? (error as { code: unknown }).code : undefined;
}
