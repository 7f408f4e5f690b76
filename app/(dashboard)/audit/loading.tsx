import { Card } from "@/components/ui/card";

export default function AuditLoading() {
  return (
    <div className="mx-auto grid max-w-7xl gap-4">
      <Card.Skeleton />
      <Card.Skeleton />
      <Card.Skeleton />
    </div>
  );
}
