import { Card } from "@/components/ui/card";

export default function CallsLoading() {
  return (
    <div className="grid gap-3">
      <Card.Skeleton />
      <Card.Skeleton />
    </div>
  );
}
